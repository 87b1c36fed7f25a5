import { availableParallelism } from 'node:os';
import { UserError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import { resolveEnvironment } from '../../engine/environment.js';
import { findPriorRun, forwardReads, refuseUnreadable } from '../../engine/prior-run.js';
import { startRun } from '../../engine/start-run.js';
import { asRunId } from '../../core/brand.js';
import { planRollback } from '../../plan/plan-run.js';
import { converse } from '../ask-line.js';
import type { CliIO } from '../io.js';
import { loadRunbookOrExit } from '../load-or-exit.js';
import { openWorkspace } from '../workspace.js';
import { driveWith } from './run-command.js';

/**
 * `shipgate rollback`: guarded (confirmation on a terminal, `--yes` otherwise), locked like any
 * run, and recorded with the reason, so an incident's rollback is evidence too.
 */
export async function rollbackCommand(
  io: CliIO,
  file: string,
  opts: { env: string; reason: string; yes?: boolean; json?: boolean; state?: string; fromRun?: string; release?: string },
): Promise<ExitCode> {
  const loaded = await loadRunbookOrExit(io, file);
  const plan = planRollback(loaded, { environment: opts.env, release: null, cpus: availableParallelism() });
  if (plan.steps.length === 0) {
    throw new UserError('SG_NO_ROLLBACK', `${file} has no rollback: steps`, 'add a `rollback: { steps: [...] }` block to the runbook');
  }
  const environment = await resolveEnvironment(loaded, opts.env, io.env);
  await using ws = await openWorkspace(io, { state: opts.state, file: loaded.path });
  // Rollback steps may read what the release's steps produced (the backup to restore): take it
  // from the run being rolled back, and refuse before anything runs if nothing can give it.
  const reads = forwardReads(plan.steps);
  // The run being rolled back: its outputs are what the rollback steps read, with or without a
  // fallback (`${{ steps.backup.outputs.id || 'latest-verified' }}` restores the backup taken
  // before that release; the fallback applies only where it has no value).
  const priorRun = await findPriorRun(ws.store, plan, opts.fromRun === undefined ? undefined : asRunId(opts.fromRun));
  refuseUnreadable(plan, reads, priorRun, opts.fromRun !== undefined);
  // `${{ release.version }}` in a rollback step is the release being rolled back, as it is in a
  // rollback within the release's own run.
  const release = opts.release ?? priorRun?.release ?? null;
  if (priorRun && !opts.json) {
    io.stdout.write(`rolling back run ${priorRun.id} (started ${priorRun.startedAt}${priorRun.release ? `, release ${priorRun.release}` : ''}); rollback steps read its outputs\n`);
  }
  if (!opts.yes) {
    if (!io.stdin.isTTY) {
      throw new UserError('SG_NOT_CONFIRMED', `rollback of ${opts.env} needs confirmation; not on a terminal`, `shipgate rollback ${file} --env ${opts.env} --reason "${opts.reason}" --yes`);
    }
    const rl = converse(io.stdin, io.stdout);
    io.stdout.write(`This runs ${plan.steps.length} rollback step(s) against ${opts.env}: ${plan.steps.map((s) => s.id).join(', ')}\n`);
    const answer = (await rl.ask(`Type the environment name (${opts.env}) to confirm: `))?.trim();
    rl.close();
    if (answer !== opts.env) throw new UserError('SG_NOT_CONFIRMED', 'rollback not confirmed; nothing was run', `shipgate rollback ${file} --env ${opts.env} --reason "…"`);
  }
  const full = { ...plan, release, reason: opts.reason, ...(priorRun ? { priorRun } : {}) };
  return await driveWith(io, ws, loaded, full, { json: opts.json, prompt: true }, (deps) => startRun({ ...deps, environment }, full));
}
