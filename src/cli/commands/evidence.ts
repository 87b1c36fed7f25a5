import type { Command } from 'commander';
import { asRunId } from '../../core/brand.js';
import { ExitCode } from '../../core/exit-codes.js';
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
      .description('Recompute the ledger hash chain and check referenced artifacts; exit 1 naming the first entry that does not match.')
      .option('--bundle <dir>', 'verify a directory written by `evidence export` instead of the live ledger')
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
  if (opts.json) {
    io.stdout.write(`${JSON.stringify(verdict)}\n`);
    return verdict.ok ? ExitCode.Success : ExitCode.Failed;
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

async function showCommand(io: CliIO, run: string, opts: StateDirOptions & { json?: boolean }): Promise<ExitCode> {
  const { collectRunEvidence } = await import('../../ledger/run-evidence.js');
  await using store = await openStoreForCli(io, { ...opts, create: false });
  await using artifacts = await openArtifactsForCli(io, opts);
  const ev = await collectRunEvidence(store, artifacts, asRunId(run));
  if (opts.json) {
    io.stdout.write(`${JSON.stringify(ev, null, 2)}\n`);
  } else {
    const { renderRunMarkdown } = await import('../../report/run-md.js');
    io.stdout.write(renderRunMarkdown(ev));
  }
  return ExitCode.Success;
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
