import { asRunId, asStepId, type RunId } from '../../src/core/brand.js';
import type { LedgerEntry } from '../../src/ledger/entry.js';
import type { ArtifactRef, ArtifactStore } from '../../src/store/artifact-store.js';
import { FileArtifactStore } from '../../src/store/file-artifact-store.js';
import type { StateStore } from '../../src/store/state-store.js';
import { sampleRun, sampleStep } from './store-fixtures.js';

export const RUN = asRunId('r-20261121-0900-k3f9');
const ops = { id: 'ops@example.com', via: 'asserted-env' as const };
const admin = { id: 'admin@example.com', via: 'asserted-git' as const };

/**
 * A finished run as the engine would leave it: an entry before it (the anchor), a step log
 * artifact, a manual approval with checklist answers, and another run's entry interleaved.
 */
export async function seedFinishedRun(
  store: StateStore,
  stateDir: string,
  artifacts: ArtifactStore = new FileArtifactStore({ stateDir }),
): Promise<{ log: ArtifactRef; entries: LedgerEntry[] }> {
  const log = await artifacts.put('backup.log', 'backup written to /backups/selenite-20261121.db\n');
  await store.appendLedger({ at: '2026-11-21T08:00:00.000Z', run: null, step: null, kind: 'backup-verified', actor: ops, data: { id: 'b-0' } });
  await store.createRun(
    sampleRun(RUN, { status: 'succeeded', endedAt: '2026-11-21T09:04:05.000Z', updatedAt: '2026-11-21T09:04:05.000Z' }),
  );
  const at = (s: string) => `2026-11-21T09:${s}.000Z`;
  const entry = (run: RunId, step: string | null, kind: string, time: string, data: unknown) =>
    store.appendLedger({ at: at(time), run, step: step === null ? null : asStepId(step), kind, actor: ops, data });
  await entry(RUN, null, 'run-started', '00:00', { environment: 'production', release: '1.4.0' });
  await store.saveStep(sampleStep(RUN, 'backup', { startedAt: at('00:00'), endedAt: '2026-11-21T09:00:02.500Z', summary: 'backup b-1 written', logSha256: log.sha256 }));
  await entry(RUN, 'backup', 'step-finished', '00:02', { status: 'passed', logSha256: log.sha256 });
  await store.createRun(sampleRun(asRunId('r-other'), { environment: 'staging', startedAt: at('00:03') }));
  await entry(asRunId('r-other'), null, 'run-started', '00:03', { environment: 'staging' });
  await store.saveStep(
    sampleStep(RUN, 'migrate', { status: 'failed-continued', startedAt: at('00:02'), endedAt: at('01:32'), exitCode: 1, summary: 'alembic: 1 | 2 heads' }),
  );
  await entry(RUN, 'migrate', 'step-finished', '01:32', { status: 'failed-continued' });
  // The ledger of this scenario has no step entry for the manual step (only its approval), so its
  // row stays pending: the tables must be a projection of the ledger (evidence verify checks it).
  await store.saveStep(sampleStep(RUN, 'ui-verification', { status: 'pending', startedAt: at('01:32'), endedAt: at('04:05'), exitCode: null, summary: 'approved by admin@example.com' }));
  await store.addApproval({
    runId: RUN,
    stepId: asStepId('ui-verification'),
    actor: admin,
    decision: 'approved',
    note: 'export is slow but works',
    items: [
      { item: 1, text: 'Login works', result: 'pass' },
      { item: 2, text: 'Export works', result: 'pass', note: 'took 40s' },
    ],
    at: at('04:00'),
  });
  await store.appendLedger({ at: at('04:00'), run: RUN, step: asStepId('ui-verification'), kind: 'approval-recorded', actor: admin, data: { decision: 'approved' } });
  await entry(RUN, null, 'run-finished', '04:05', { status: 'succeeded' });
  return { log, entries: await store.readLedger() };
}
