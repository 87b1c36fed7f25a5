import type { Actor } from '../core/actor.js';
import { unreachable } from '../core/unreachable.js';
import type { ProjectionWriter, StateStore } from '../store/state-store.js';
import type { StepRecord } from '../store/records.js';
import type { RunEvent } from './events.js';

/** Makes events durable, in order, all or none; resolves once they are committed. */
export type PersistEvents = (events: readonly RunEvent[]) => Promise<void>;

/**
 * The store projection and the ledger: each event updates the rows that describe the run now and
 * is appended to the hash chain. The events handed over together are written in one transaction
 * that commits before the engine moves on (crash safety: every transition is persisted before
 * the next begins).
 *
 * Step output lines are neither stored nor ledgered: the whole log becomes an artifact whose
 * sha256 is in `step-finished`.
 */
export function persistEvents(store: StateStore, actor: Actor): PersistEvents {
  return async (events) => {
    const recorded = events
      .filter((e) => e.kind !== 'step-output')
      .map((e) => {
        const { kind, at, run, ...rest } = e;
        const step = 'step' in rest ? (rest as { step: StepRecord['stepId'] }).step : null;
        const who = e.kind === 'approval-recorded' ? e.approval.actor : e.kind === 'run-started' || e.kind === 'run-resumed' ? e.actor : actor;
        return { draft: { at, run, step, kind, actor: who, data: rest }, project: (w: ProjectionWriter) => project(w, e) };
      });
    if (recorded.length > 0) await store.recordAll(recorded);
  };
}

async function project(store: ProjectionWriter, e: RunEvent): Promise<void> {
  switch (e.kind) {
    case 'run-started':
    case 'step-spawned':
    case 'step-output':
    case 'step-retrying':
    case 'rollback-started':
    case 'approval-recorded': // the approval row is written by the approve command itself
      return;
    case 'run-resumed':
      return store.updateRun(e.run, { status: 'running', updatedAt: e.at, pid: e.pid, host: e.host });
    case 'step-started':
      return store.saveStep(stepRow(e.run, e.step, e.section, { status: 'running', attempt: e.attempt, startedAt: e.at }));
    case 'step-not-started':
      return store.saveStep(stepRow(e.run, e.step, e.section, { status: 'pending', attempt: e.attempt, summary: e.summary }));
    case 'step-waiting':
      return store.saveStep(stepRow(e.run, e.step, e.section, { status: 'waiting', summary: e.reason, startedAt: e.at }));
    case 'step-finished':
      return store.saveStep(
        stepRow(e.run, e.step, e.section, {
          status: e.status,
          attempt: e.attempt,
          endedAt: e.at,
          exitCode: e.exitCode,
          summary: e.summary,
          outputs: e.outputs,
          logSha256: e.logSha256,
          startedAt: new Date(Date.parse(e.at) - e.durationMs).toISOString(),
        }),
      );
    case 'run-waiting':
    case 'run-finished': {
      // A run cancelled from elsewhere (another host) keeps its terminal status; the ledger
      // still records how the driver saw the end.
      if ((await store.getRun(e.run))?.status === 'cancelled') return;
      return e.kind === 'run-waiting'
        ? store.updateRun(e.run, { status: 'waiting', updatedAt: e.at })
        : store.updateRun(e.run, { status: e.status, updatedAt: e.at, endedAt: e.at });
    }
    default:
      return unreachable(e);
  }
}

function stepRow(runId: StepRecord['runId'], stepId: StepRecord['stepId'], section: StepRecord['section'], patch: Partial<StepRecord>): StepRecord {
  return {
    runId,
    stepId,
    section,
    status: 'pending',
    attempt: 1,
    startedAt: null,
    endedAt: null,
    exitCode: null,
    summary: null,
    outputs: {},
    logSha256: null,
    ...patch,
  };
}
