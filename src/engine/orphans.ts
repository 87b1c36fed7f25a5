import { hostname } from 'node:os';
import type { RunId, StepId } from '../core/brand.js';
import type { StateStore } from '../store/state-store.js';
import type { StepRecord } from '../store/records.js';

/**
 * The first of `steps` whose process group, recorded by `step-spawned` on this host, is still
 * alive: a step cut off by kill -9 of its driver keeps running (it has its own group). Resume
 * must not start a second copy beside it, and cancel must not pull its temp files away.
 */
export async function findLiveOrphan(
  store: StateStore,
  runId: RunId,
  steps: readonly Pick<StepRecord, 'stepId' | 'status'>[],
  isProcessGroupAlive: (pgid: number) => boolean,
): Promise<{ step: StepId; pid: number; host: string } | undefined> {
  const candidates = steps.filter((s) => s.status === 'running' || s.status === 'interrupted');
  if (candidates.length === 0) return undefined;
  const spawned = await store.readLedger({ run: runId, kind: 'step-spawned' });
  for (const s of candidates) {
    const last = spawned.filter((e) => e.step === s.stepId).at(-1)?.data as { pid?: number; host?: string } | undefined;
    if (last?.pid && last.host === hostname() && isProcessGroupAlive(last.pid)) return { step: s.stepId, pid: last.pid, host: last.host };
  }
  return undefined;
}
