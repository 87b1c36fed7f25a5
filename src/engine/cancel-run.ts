import type { Actor } from '../core/actor.js';
import type { RunId } from '../core/brand.js';
import { hostname } from 'node:os';
import { UserError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import type { StateStore } from '../store/state-store.js';
import { findLiveOrphan } from './orphans.js';
import { recordedTempRoots, removeRunTempDirs } from './run-temp-dirs.js';

/**
 * Abandons an unfinished run (waiting or interrupted) and releases its environment lock. What
 * the run already did is not undone: that is what `rollback` steps are for. Recorded in the ledger.
 */
export async function cancelRun(input: {
  store: StateStore;
  runId: RunId;
  actor: Actor;
  reason: string;
  clock: () => Date;
  /** Is the run's driver (a pid on this host) still running? A live run is not cancelled under its feet. */
  isProcessAlive: (pid: number) => boolean;
  /** Is a step's process group still running? A run with a live step is not cancelled. */
  isProcessGroupAlive?: (pgid: number) => boolean;
  /** Where temp dirs are looked for ($TMPDIR, $XDG_RUNTIME_DIR); default the process env. */
  env?: Readonly<Record<string, string | undefined>>;
}): Promise<void> {
  const run = await input.store.getRun(input.runId);
  if (!run) throw new UserError('SG_RUN_NOT_FOUND', `no run ${input.runId} in this state store`, 'list runs with: shipgate runs');
  if (!['running', 'waiting', 'interrupted'].includes(run.status)) {
    throw new UserError('SG_RUN_FINISHED', `run ${run.id} already finished (${run.status}); nothing to cancel`, `shipgate status ${run.id}`);
  }
  const lock = await input.store.getLock(run.environment);
  const driver = lock?.runId === run.id ? lock.pid : run.pid;
  const host = lock?.runId === run.id ? lock.host : run.host;
  if (run.status === 'running' && driver && host === hostname() && input.isProcessAlive(driver)) {
    throw new UserError(
      'SG_RUN_ACTIVE',
      `run ${run.id} is running right now (pid ${driver}); cancelling would free its lock while it still changes ${run.environment}`,
      `stop it first (Ctrl-C in its terminal, or kill -INT ${driver}), then: shipgate cancel ${run.id} --reason "…"`,
      ExitCode.Locked,
    );
  }
  // Its driver is gone, but a step it started may not be (its own process group outlives a
  // kill -9 of the driver): cancelling would free the lock while that step still changes things.
  const orphan = input.isProcessGroupAlive ? await findLiveOrphan(input.store, run.id, await input.store.getSteps(run.id), input.isProcessGroupAlive) : undefined;
  if (orphan) {
    throw new UserError(
      'SG_STEP_STILL_RUNNING',
      `step ${orphan.step} of run ${run.id} is still running from before the interruption (process group ${orphan.pid} on ${orphan.host}); cancelling would free the lock on ${run.environment} while it runs`,
      `wait for it to end, or stop it (kill -TERM -${orphan.pid}), then: shipgate cancel ${run.id} --reason "…"`,
      ExitCode.Locked,
    );
  }
  const at = input.clock().toISOString();
  await input.store.updateRun(run.id, { status: 'cancelled', updatedAt: at, endedAt: at });
  await input.store.appendLedger({ at, run: run.id, step: null, kind: 'run-finished', actor: input.actor, data: { status: 'cancelled', summary: `cancelled by ${input.actor.id}: ${input.reason}`, durationMs: 0 } });
  await input.store.releaseLock(run.environment, run.id);
  // A killed driver on this host left its temp dirs; a live one (a TTY prompt) still uses them.
  if (!(driver && host === hostname() && input.isProcessAlive(driver))) await removeRunTempDirs(run.id, input.env ?? process.env, await recordedTempRoots(input.store, run.id));
}
