import { existsSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { analyzerClassifier } from '../../audit/gate/analyzer-classify.js';
import { readPrBody } from '../../audit/gate/pr-checklist.js';
import { renderGateAnnotations, renderGateMarkdown } from '../../audit/gate/render-gate.js';
import { runGate } from '../../audit/gate/run-gate.js';
import { requireDuration } from '../../core/duration.js';
import { UserError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import type { StateStore } from '../../store/state-store.js';
import { resolveActor } from '../actor.js';
import type { CliIO } from '../io.js';
import { loadRunbookOrExit } from '../load-or-exit.js';
import { openStoreForCli, resolveStateDir } from '../state-dir.js';
import { cliEvidence } from './cli-evidence.js';

export interface GateFlags {
  base: string;
  prBody?: string;
  evidence?: string;
  trustedHead?: string;
  env?: string;
  maxEvidenceAge: string;
  history: boolean;
  ledger: boolean;
  state?: string;
  json?: boolean;
}

export async function gateCommand(io: CliIO, file: string, f: GateFlags): Promise<ExitCode> {
  const maxAgeMs = requireDuration(f.maxEvidenceAge, '--max-evidence-age');
  const loaded = await loadRunbookOrExit(io, file);
  const environment = gateEnvironment(Object.keys(loaded.runbook.environments), f.env);
  if (f.trustedHead !== undefined && !/^[0-9a-f]{64}$/.test(f.trustedHead)) {
    throw new UserError('SG_FLAGS', `--trusted-head ${f.trustedHead} is not a ledger entry hash (64 lowercase hex digits)`, 'use the head printed by `shipgate evidence export` (chain OK: … head HASH)');
  }
  const eventPath = io.env.GITHUB_EVENT_PATH;
  const prBody = await readPrBody({ cwd: io.cwd, ...(f.prBody ? { file: resolve(io.cwd, f.prBody) } : {}), ...(eventPath ? { eventPath } : {}) });
  // The local ledger is read only when it exists: the gate never creates state in CI.
  let store: StateStore | undefined;
  const stateDir = resolveStateDir(io, { file, ...(f.state ? { state: f.state } : {}) });
  if (f.ledger && (io.env.SHIPGATE_DATABASE_URL || existsSync(join(stateDir, 'state.db')))) {
    store = await openStoreForCli(io, { file, create: false, ...(f.state ? { state: f.state } : {}) });
  }
  try {
    const report = await runGate({
      cwd: io.cwd,
      runbook: loaded,
      prBody,
      base: f.base,
      maxEvidenceAgeMs: maxAgeMs,
      maxEvidenceAge: f.maxEvidenceAge,
      clock: () => new Date(),
      history: f.history,
      env: io.env,
      ...(loaded.runbook.migrations ? { classify: analyzerClassifier(loaded) } : {}),
      ...(f.evidence ? { evidenceDir: resolve(io.cwd, f.evidence) } : {}),
      ...(f.trustedHead ? { trustedHead: f.trustedHead } : {}),
      ...(environment ? { environment } : {}),
      ...(store ? { evidence: cliEvidence(store, resolveActor(io.env, io.cwd), () => new Date()) } : {}),
    });
    const md = renderGateMarkdown(report);
    if (f.json) io.stdout.write(JSON.stringify(report, null, 2) + '\n');
    else if (!io.env.GITHUB_STEP_SUMMARY) io.stdout.write(md);
    if (io.env.GITHUB_STEP_SUMMARY) {
      // The summary is for people; a file that cannot be written is said, and the verdict stands.
      await appendFile(io.env.GITHUB_STEP_SUMMARY, md).catch((e: Error) => io.stderr.write(`warning: could not write the summary to $GITHUB_STEP_SUMMARY (${io.env.GITHUB_STEP_SUMMARY}): ${e.message}\n`));
    }
    if (io.env.GITHUB_ACTIONS === 'true' || !f.json) io.stdout.write(renderGateAnnotations(report));
    if (!report.passed) {
      const unmet = report.conditions.filter((c) => c.status === 'unmet' || c.status === 'unmeasured');
      io.stderr.write(`gate not met: ${unmet.length} condition(s)\n`);
      for (const c of unmet) io.stderr.write(`  ✗ ${c.title}: ${c.measured}\n    → ${c.how ?? 'see the summary'}\n`);
      return ExitCode.GateNotMet;
    }
    io.stderr.write('gate met\n');
    return ExitCode.Success;
  } finally {
    await store?.close();
  }
}

/**
 * --env, else the runbook's only environment, else `production` when it has one; else undefined
 * (the backup condition is then unmeasured and says to pass --env).
 */
function gateEnvironment(names: readonly string[], flag: string | undefined): string | undefined {
  if (flag !== undefined) {
    if (!names.includes(flag)) throw new UserError('SG_UNKNOWN_ENV', `--env ${flag}: the runbook has no such environment (it has: ${names.join(', ')})`, `e.g. --env ${names[0] ?? 'production'}`);
    return flag;
  }
  if (names.length === 1) return names[0]!;
  return names.includes('production') ? 'production' : undefined;
}
