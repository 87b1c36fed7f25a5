import type { Command } from 'commander';
import { asRunId } from '../../core/brand.js';
import { ExitCode } from '../../core/exit-codes.js';
import type { LedgerEntry } from '../../ledger/entry.js';
import type { StatusMismatch } from '../../ledger/project-run-status.js';
import type { StateStore } from '../../store/state-store.js';
import type { RegisterCommand } from '../command.js';
import type { CliIO } from '../io.js';
import { openArtifactsForCli, openStoreForCli, type StateDirOptions } from '../state-dir.js';

const STATE_HELP = 'state directory (default: $SHIPGATE_STATE_DIR, else .shipgate/ beside the runbook); $SHIPGATE_DATABASE_URL selects Postgres';
const FILE_HELP = 'runbook file whose directory holds .shipgate/ (default: ./shipgate.yml)';

/** `shipgate evidence verify | show | export`. Library modules load lazily, inside the actions. */
export const register: RegisterCommand = (program, io, done) => {
  const evidence = program.command('evidence').description('Verify, show and export the hash-chained evidence ledger.');
  withState(
    evidence
      .command('verify')
      .description('Recompute the ledger hash chain, check referenced artifacts and that the runs/steps tables match the ledger; exit 1 naming the first entry (or step) that does not match.')
      .option('--bundle <dir>', 'verify a directory written by `evidence export` instead of the live ledger: chain, head, run-started/run-finished present, run.json and run.md consistent with the ledger (exit 2 if unreadable)')
      .option('--no-artifacts', 'skip checking that referenced artifact files exist and still hash the same')
      .option('--json', 'print the verdict as one JSON object ({ok, count, head} or {ok, seq, problem, reason})'),
  ).action(async (opts: VerifyOptions) => done(await verifyCommand(io, opts)));
  withState(
    evidence
      .command('show')
      .description("Print a run's evidence: run, steps, approvals, ledger entries and artifacts (Markdown, or JSON with --json).")
      .argument('<run>', 'run id, as printed by `shipgate run` and `shipgate runs`')
      .option('--json', 'print the evidence as one JSON object'),
  ).action(async (run: string, opts: StateDirOptions & { json?: boolean }) => done(await showCommand(io, run, opts)));
  withState(
    evidence
      .command('export')
      .description("Write a run's evidence to a directory: run.md, run.json, ledger.json (verifiable chain slice) and artifacts/.")
      .argument('<run>', 'run id, as printed by `shipgate run` and `shipgate runs`')
      .requiredOption('--out <dir>', 'directory to write (created if missing; files of the same names are overwritten)'),
  ).action(async (run: string, opts: StateDirOptions & { out: string }) => done(await exportCommand(io, run, opts)));
};

function withState(cmd: Command): Command {
  return cmd.option('--state <dir>', STATE_HELP).option('-f, --file <runbook>', FILE_HELP);
}

type VerifyOptions = StateDirOptions & { bundle?: string; artifacts: boolean; json?: boolean };

async function verifyCommand(io: CliIO, opts: VerifyOptions): Promise<ExitCode> {
  const { resolve } = await import('node:path');
  if (opts.bundle) {
    const { verifyEvidenceBundle } = await import('../../ledger/export-run-evidence.js');
    const verdict = await verifyEvidenceBundle(resolve(io.cwd, opts.bundle));
    if (opts.json) {
      io.stdout.write(`${JSON.stringify(verdict)}\n`);
      return verdict.ok ? ExitCode.Success : ExitCode.Failed;
    }
    if (verdict.ok) {
      io.stdout.write(`bundle OK: ${verdict.count} entries, head ${verdict.head}\n`);
      return ExitCode.Success;
    }
    io.stdout.write(`bundle BROKEN at seq ${verdict.seq}: ${verdict.reason}\n`);
    return ExitCode.Failed;
  }
  const { verifyLedger } = await import('../../ledger/verify-ledger.js');
  await using store = await openStoreForCli(io, { ...opts, create: false });
  await using artifacts = await openArtifactsForCli(io, opts);
  const entries = await store.readLedger();
  const verdict = await verifyLedger(entries, opts.artifacts ? { artifacts } : {});
  // The runs/steps tables are the ledger's projection: a row edited by hand is a broken ledger too.
  const mismatches = verdict.ok ? await findTableMismatches(store, entries) : [];
  const first = mismatches[0];
  const final: typeof verdict = first ? { ok: false, seq: first.seq, problem: 'status-mismatch', reason: first.message } : verdict;
  if (opts.json) {
    io.stdout.write(`${JSON.stringify(first ? { ...final, mismatches } : final)}\n`);
    return final.ok ? ExitCode.Success : ExitCode.Failed;
  }
  if (verdict.ok && first) {
    io.stdout.write(`ledger chain OK (${verdict.count} entries), but the state tables disagree with it (the ledger is authoritative):\n`);
    for (const m of mismatches) io.stdout.write(`  ✗ ${m.message}\n`);
    io.stdout.write(`  → inspect the run: shipgate evidence show ${first.run}\n`);
    return ExitCode.Failed;
  }
  if (verdict.ok) {
    io.stdout.write(`ledger OK: ${verdict.count} entries, head ${verdict.head}\n`);
    return ExitCode.Success;
  }
  io.stdout.write(`ledger BROKEN at seq ${verdict.seq}: ${verdict.reason}\n`);
  // Point at the run around the broken entry, so the operator can see what it recorded.
  const near = entries.find((e) => e.seq === verdict.seq && e.run) ?? entries.filter((e) => e.run && e.seq <= verdict.seq).at(-1);
  io.stdout.write(
    near?.run
      ? `  → inspect the run around it: shipgate evidence show ${near.run}\n`
      : `  → inspect the entries around it: shipgate evidence show RUN (see shipgate runs)\n`,
  );
  if (verdict.problem === 'artifact-missing' && store.dialect === 'postgres') {
    // Runs whose engine did not upload artifacts to the shared store keep them on one machine.
    io.stdout.write('  (an artifact not uploaded to the shared store stays on the machine that ran the step: verify there, or pass --no-artifacts)\n');
  }
  return ExitCode.Failed;
}

/** Every run's rows compared with its ledger entries; also ledgered runs without a row. */
async function findTableMismatches(store: StateStore, entries: readonly LedgerEntry[]): Promise<StatusMismatch[]> {
  const { compareRunWithLedger } = await import('../../ledger/project-run-status.js');
  const byRun = new Map<string, LedgerEntry[]>();
  for (const e of entries) if (e.run) byRun.set(e.run, [...(byRun.get(e.run) ?? []), e]);
  const out: StatusMismatch[] = [];
  for (const run of await store.listRuns()) {
    out.push(...compareRunWithLedger(run, await store.getSteps(run.id), byRun.get(run.id) ?? []));
    byRun.delete(run.id);
  }
  for (const [run, es] of byRun) {
    if (es.some((e) => e.kind === 'run-started')) out.push({ run: asRunId(run), step: null, table: 'no row', ledger: 'run-started', seq: es[0]!.seq, message: `run ${run}: the ledger has its entries (from seq ${es[0]!.seq}), the runs table has no row` });
  }
  return out;
}

async function showCommand(io: CliIO, run: string, opts: StateDirOptions & { json?: boolean }): Promise<ExitCode> {
  const { collectRunEvidence } = await import('../../ledger/run-evidence.js');
  await using store = await openStoreForCli(io, { ...opts, create: false });
  await using artifacts = await openArtifactsForCli(io, opts);
  const ev = await collectRunEvidence(store, artifacts, asRunId(run));
  const { compareRunWithLedger } = await import('../../ledger/project-run-status.js');
  const mismatches = compareRunWithLedger(ev.run, ev.steps, ev.entries);
  if (opts.json) {
    io.stdout.write(`${JSON.stringify(ev, null, 2)}\n`);
  } else {
    const { renderRunMarkdown } = await import('../../report/run-md.js');
    io.stdout.write(renderRunMarkdown(ev));
  }
  // show prints the tables; when they contradict the ledger, say so loudly and fail.
  for (const m of mismatches) io.stderr.write(`warning SG_EVIDENCE_TABLES_DISAGREE: ${m.message} — the ledger is authoritative\n`);
  if (mismatches.length > 0) io.stderr.write('  → shipgate evidence verify\n');
  return mismatches.length > 0 ? ExitCode.Failed : ExitCode.Success;
}

async function exportCommand(io: CliIO, run: string, opts: StateDirOptions & { out: string }): Promise<ExitCode> {
  const { resolve } = await import('node:path');
  const { exportRunEvidence, verifyEvidenceBundle } = await import('../../ledger/export-run-evidence.js');
  await using store = await openStoreForCli(io, { ...opts, create: false });
  await using artifacts = await openArtifactsForCli(io, opts);
  const outDir = resolve(io.cwd, opts.out);
  const result = await exportRunEvidence({ store, artifacts, runId: asRunId(run), outDir });
  const copied = result.files.length - 3;
  io.stdout.write(`exported run ${run} to ${outDir}: run.md, run.json, ledger.json, ${copied} artifact${copied === 1 ? '' : 's'}\n`);
  let code: ExitCode = ExitCode.Success;
  if (result.missingArtifacts.length > 0) {
    io.stdout.write(`incomplete: ${result.missingArtifacts.length} referenced artifact(s) missing from the store: ${result.missingArtifacts.join(', ')}\n`);
    io.stdout.write('  → check the live ledger: shipgate evidence verify\n');
    code = ExitCode.Failed;
  }
  const verdict = await verifyEvidenceBundle(outDir);
  if (verdict.ok) io.stdout.write(`chain OK: ${verdict.count} entries, head ${verdict.head}\n`);
  else if (result.missingArtifacts.length === 0) {
    io.stdout.write(`chain BROKEN at seq ${verdict.seq}: ${verdict.reason}\n  → shipgate evidence verify\n`);
    code = ExitCode.Failed;
  }
  return code;
}
