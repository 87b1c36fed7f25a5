import { hostname } from 'node:os';
import { asStepId, type RunId, type StepId } from '../core/brand.js';
import { UserError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import type { Plan } from '../plan/plan.js';
import type { RunRecord, StepRecord } from '../store/records.js';
import type { StateStore } from '../store/state-store.js';
import { driveRun } from './drive-run.js';
import { refuseChangedEnv } from './env-fingerprint.js';
import { findLiveOrphan } from './orphans.js';
import { resumeHint, resumeHintText } from './resume-hint.js';
import { recordedTempRoots, removeRunTempDirs, tempRootsOf } from './run-temp-dirs.js';
import { lockedError, withRuntime, type RunDeps, type RunHandle } from './start-run.js';

/** What the operator decided about steps that were running when the process died. */
export interface ResumeDecisions {
  readonly rerun: readonly string[];
  readonly skip: ReadonlyArray<{ readonly step: string; readonly reason: string }>;
}

/** Loads a run that can be resumed, or explains why not. */
export async function loadResumableRun(store: StateStore, runId: RunId, isAlive: (pid: number) => boolean, selfPid: number): Promise<{ run: RunRecord; plan: Plan }> {
  const run = await store.getRun(runId);
  if (!run) throw new UserError('SG_RUN_NOT_FOUND', `no run ${runId} in this state store`, 'list runs with: shipgate runs');
  if (!['running', 'waiting', 'interrupted'].includes(run.status)) {
    const plan = JSON.parse(run.planJson) as Plan;
    // The command that starts the same kind of run again: a rollback, or a release with its version.
    const again = plan.purpose === 'rollback'
      ? `shipgate rollback ${run.runbookPath} --env ${run.environment} --reason "…"${plan.priorRun ? ` --from-run ${plan.priorRun.id}` : ''}${run.release && run.release !== plan.priorRun?.release ? ` --release ${run.release}` : ''}`
      : `shipgate run ${run.runbookPath} --env ${run.environment}${run.release ? ` --release ${run.release}` : ''}`;
    throw new UserError('SG_RUN_FINISHED', `run ${runId} already finished (${run.status}); a finished run is never resumed`, `start a new one: ${again}`);
  }
  if (run.status === 'running' && run.pid && run.host === hostname() && run.pid !== selfPid && isAlive(run.pid)) {
    throw new UserError('SG_RUN_ACTIVE', `run ${runId} is being driven right now by pid ${run.pid}`, `watch it with: shipgate status ${runId}`, ExitCode.Locked);
  }
  return { run, plan: JSON.parse(run.planJson) as Plan };
}

/**
 * Continues a run from the first step that did not finish. Finished steps never run again. A
 * step that was running when the process died re-runs only if it is `idempotent` or the
 * operator says `--rerun`; `--skip --reason` records it as skipped; otherwise we stop and ask.
 */
export async function resumeRun(deps: RunDeps, run: RunRecord, plan: Plan, decisions: ResumeDecisions): Promise<RunHandle> {
  const steps = await deps.store.getSteps(run.id);
  const all = [...plan.steps, ...plan.rollback];
  for (const d of [...decisions.rerun, ...decisions.skip.map((s) => s.step)]) {
    if (!all.some((s) => s.id === d)) throw new UserError('SG_UNKNOWN_STEP', `run ${run.id} has no step ${d}`, `shipgate status ${run.id}`);
  }
  refuseChangedEnv(plan, deps.processEnv, run.id);
  const unfinished = steps.filter((s) => s.status === 'running' || s.status === 'interrupted');
  // A step still running from before comes first: no choice about it can be made yet.
  await refuseLiveOrphans(deps, run, plan, unfinished);
  const decided = (id: string) => decisions.rerun.includes(id) || decisions.skip.some((k) => k.step === id);
  const ids = resumeHint(run.id, plan, unfinished.filter((s) => !decided(s.stepId))).undecided;
  if (ids.length > 0) {
    throw new UserError(
      'SG_RESUME_NEEDS_DECISION',
      `step${ids.length > 1 ? 's' : ''} ${ids.join(', ')} of run ${run.id} ${ids.length > 1 ? 'were' : 'was'} running when the process stopped and ${ids.length > 1 ? 'are' : 'is'} not idempotent: shipgate will not guess whether ${ids.length > 1 ? 'they' : 'it'} took effect`,
      `check the target, then: shipgate resume ${run.id} --rerun ${ids[0]}   or   shipgate resume ${run.id} --skip ${ids[0]} --reason "done by hand"`,
    );
  }
  // Claim the run: only one process may drive it. The lock names the last driver; we take it
  // over only if that driver is gone, and only if nobody else took it over meanwhile (CAS).
  const previous = await deps.store.getLock(run.environment);
  if (previous && previous.runId === run.id && previous.pid && previous.host === hostname() && previous.pid !== deps.pid && deps.isProcessAlive?.(previous.pid)) {
    throw new UserError('SG_RUN_ACTIVE', `run ${run.id} is being driven right now by pid ${previous.pid}`, `watch it with: shipgate status ${run.id}`, ExitCode.Locked);
  }
  const holder = { environment: run.environment, runId: run.id, actor: deps.actor, since: deps.clock().toISOString(), pid: deps.pid, host: hostname() };
  const lock = await deps.store.acquireLock(holder, previous?.runId === run.id ? { takeover: { pid: previous.pid, host: previous.host } } : {});
  if (!lock.acquired) {
    if (lock.holder.runId === run.id) {
      throw new UserError('SG_RUN_ACTIVE', `run ${run.id} was just resumed by another process (pid ${lock.holder.pid} on ${lock.holder.host})`, `watch it with: shipgate status ${run.id}`, ExitCode.Locked);
    }
    throw lockedError(run.environment, lock.holder);
  }

  // This process holds the run now, and no step of the earlier driver is alive (checked above):
  // what that driver left in the temp roots is no one's.
  await removeRunTempDirs(run.id, deps.processEnv, await recordedTempRoots(deps.store, run.id));
  return withRuntime(deps, plan, run.id, async (rt) => {
    const at = () => deps.clock().toISOString();
    const rerun: StepId[] = unfinished.filter((s) => !decisions.skip.some((k) => k.step === s.stepId)).map((s) => s.stepId);
    await rt.publisher.publish({
      kind: 'run-resumed', at: at(), run: run.id, actor: deps.actor, pid: deps.pid, host: hostname(), rerun,
      skip: decisions.skip.map((s) => ({ step: asStepId(s.step), reason: s.reason })), tempRoots: tempRootsOf(rt),
    });
    for (const s of unfinished) {
      const skip = decisions.skip.find((k) => k.step === s.stepId);
      if (skip) {
        await rt.publisher.publish({
          kind: 'step-finished', at: at(), run: run.id, step: s.stepId, section: s.section, status: 'skipped', attempt: s.attempt,
          exitCode: null, durationMs: 0, summary: `skipped on resume by ${deps.actor.id}: ${skip.reason}`, outputs: {}, checks: [],
          logSha256: null, artifacts: [], data: null,
        });
      } else {
        await deps.store.saveStep(reset(s));
      }
    }
    return driveRun(rt, deps.store, deps.prompt);
  });
}

/**
 * A step cut off by a crash may still be running: its process group outlives shipgate after
 * kill -9. Re-running it (a migration!) beside the old one would be worse than waiting.
 */
async function refuseLiveOrphans(deps: RunDeps, run: RunRecord, plan: Plan, unfinished: readonly StepRecord[]): Promise<void> {
  if (!deps.isProcessGroupAlive) return;
  const orphan = await findLiveOrphan(deps.store, run.id, unfinished, deps.isProcessGroupAlive);
  if (orphan) {
    throw new UserError(
      'SG_STEP_STILL_RUNNING',
      `step ${orphan.step} of run ${run.id} is still running from before the interruption (process group ${orphan.pid} on ${orphan.host})`,
      `wait for it to end, or stop it (kill -TERM -${orphan.pid}), then: ${resumeHintText(resumeHint(run.id, plan, unfinished))}`,
      ExitCode.Locked,
    );
  }
}

function reset(s: StepRecord): StepRecord {
  return { ...s, status: 'pending', endedAt: null, exitCode: null, summary: `re-run on resume (attempt ${s.attempt} was cut off)` };
}

