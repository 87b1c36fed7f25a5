import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asRunId, asSha256, asStepId } from '../../src/core/brand.js';
import { GENESIS_HASH } from '../../src/ledger/entry.js';
import { computeEntryHash } from '../../src/ledger/hash-entry.js';
import { postgresAvailable } from '../support/postgres.js';
import { createTestStore, sampleDraft, sampleRun, sampleStep, type DialectName, type TestStore } from '../support/store-fixtures.js';

const pgUp = await postgresAvailable();
const DIALECTS: ReadonlyArray<{ name: DialectName; skip: boolean }> = [
  { name: 'sqlite', skip: false },
  { name: 'postgres', skip: !pgUp },
];

for (const { name, skip } of DIALECTS) {
  describe.skipIf(skip)(`repository on ${name}`, () => {
    let t: TestStore;
    beforeEach(async () => {
      t = await createTestStore(name);
    });
    afterEach(async () => {
      await t.cleanup();
    });

    it('may be closed twice (owner, then await using)', async () => {
      const { openStore } = await import('../../src/store/open-store.js');
      const other = await openStore(t.openArgs);
      await other.close();
      await expect(other.close()).resolves.toBeUndefined();
      await expect(other[Symbol.asyncDispose]()).resolves.toBeUndefined();
    });

    it('reports its dialect', () => {
      expect(t.store.dialect).toBe(name);
    });

    it('has committed each write when the call resolves: a second connection sees it', async () => {
      const { openStore } = await import('../../src/store/open-store.js');
      const other = await openStore(t.openArgs);
      try {
        await t.store.createRun(sampleRun('r-seen'));
        expect((await other.getRun(asRunId('r-seen')))?.id).toBe('r-seen');
        const e = await t.store.appendLedger(sampleDraft(asRunId('r-seen'), 1));
        expect(await other.readLedger()).toEqual([e]);
        await other.saveStep(sampleStep(asRunId('r-seen'), 'back'));
        expect(await t.store.getSteps(asRunId('r-seen'))).toHaveLength(1);
      } finally {
        await other.close();
      }
    });

    it('two stores opening the same fresh database at once both migrate it safely', async () => {
      const { openStore } = await import('../../src/store/open-store.js');
      const [a, b] = await Promise.all([openStore(t.openArgs), openStore(t.openArgs)]);
      await a.createRun(sampleRun('r-a'));
      expect((await b.listRuns()).map((r) => r.id)).toEqual(['r-a']);
      await a.close();
      await b.close();
    });

    it('round-trips runs, newest first, filtered by environment', async () => {
      const a = sampleRun('r-a', { startedAt: '2026-11-21T09:00:00.000Z' });
      const b = sampleRun('r-b', { startedAt: '2026-11-21T10:00:00.000Z', environment: 'staging', release: null, pid: null, host: null });
      await t.store.createRun(a);
      await t.store.createRun(b);
      expect(await t.store.getRun(asRunId('r-a'))).toEqual(a);
      expect(await t.store.getRun(asRunId('r-b'))).toEqual(b);
      expect(await t.store.getRun(asRunId('r-none'))).toBeUndefined();
      expect((await t.store.listRuns()).map((r) => r.id)).toEqual(['r-b', 'r-a']);
      expect((await t.store.listRuns({ environment: 'production' })).map((r) => r.id)).toEqual(['r-a']);
      expect((await t.store.listRuns({ limit: 1 })).map((r) => r.id)).toEqual(['r-b']);
    });

    it('updates only the fields given, and refuses an unknown run', async () => {
      await t.store.createRun(sampleRun('r-1'));
      await t.store.updateRun(asRunId('r-1'), { status: 'succeeded', endedAt: '2026-11-21T09:05:00.000Z', updatedAt: '2026-11-21T09:05:00.000Z' });
      const run = await t.store.getRun(asRunId('r-1'));
      expect(run).toMatchObject({ status: 'succeeded', endedAt: '2026-11-21T09:05:00.000Z', pid: 4242, host: 'build-1' });
      await t.store.updateRun(asRunId('r-1'), { endedAt: null, pid: null, updatedAt: '2026-11-21T09:06:00.000Z' });
      expect(await t.store.getRun(asRunId('r-1'))).toMatchObject({ status: 'succeeded', endedAt: null, pid: null });
      await expect(t.store.updateRun(asRunId('r-x'), { status: 'failed', updatedAt: 'x' })).rejects.toMatchObject({ code: 'SG_RUN_NOT_FOUND' });
    });

    it('saves steps as upserts, in first-saved order, keeping forward and rollback apart', async () => {
      const run = asRunId('r-1');
      await t.store.createRun(sampleRun(run));
      await t.store.saveStep(sampleStep(run, 'zeta', { status: 'running', endedAt: null, exitCode: null, summary: null }));
      await t.store.saveStep(sampleStep(run, 'alpha', { outputs: { id: 'b-1', path: '/x y' }, logSha256: asSha256('b'.repeat(64)) }));
      await t.store.saveStep(sampleStep(run, 'zeta', { attempt: 2, status: 'failed', exitCode: 3, summary: 'expected stdout /ok/' }));
      await t.store.saveStep(sampleStep(run, 'zeta', { section: 'rollback' }));
      const steps = await t.store.getSteps(run);
      expect(steps.map((s) => `${s.section}:${s.stepId}:${s.status}:${s.attempt}`)).toEqual([
        'forward:zeta:failed:2',
        'forward:alpha:passed:1',
        'rollback:zeta:passed:1',
      ]);
      expect(steps[1]).toEqual(sampleStep(run, 'alpha', { outputs: { id: 'b-1', path: '/x y' }, logSha256: asSha256('b'.repeat(64)) }));
      expect(steps[0]).toMatchObject({ exitCode: 3, summary: 'expected stdout /ok/' });
    });

    it('refuses a step of an unknown run (foreign key)', async () => {
      await expect(t.store.saveStep(sampleStep(asRunId('r-ghost'), 'a'))).rejects.toThrow();
    });

    it('round-trips approvals, filtered by step, in insertion order', async () => {
      const run = asRunId('r-1');
      await t.store.createRun(sampleRun(run));
      const first = {
        runId: run,
        stepId: asStepId('ui'),
        actor: { id: 'admin@example.com', via: 'asserted-git' as const },
        decision: 'approved' as const,
        note: 'looks good',
        items: [
          { item: 1, text: 'Login works', result: 'pass' as const },
          { item: 2, text: 'Export works', result: 'fail' as const, note: 'csv empty' },
        ],
        at: '2026-11-21T09:10:00.000Z',
      };
      const second = { ...first, stepId: asStepId('other'), decision: 'rejected' as const, note: null, items: [] };
      await t.store.addApproval(first);
      await t.store.addApproval(second);
      expect(await t.store.listApprovals(run)).toEqual([first, second]);
      expect(await t.store.listApprovals(run, asStepId('ui'))).toEqual([first]);
    });

    it('locks an environment for one run, re-entrantly, until released by its holder', async () => {
      const holder = { environment: 'production', runId: asRunId('r-1'), actor: { id: 'a@x', via: 'system' as const }, since: 'T', pid: 1, host: 'h' };
      expect(await t.store.acquireLock(holder)).toEqual({ acquired: true });
      expect(await t.store.acquireLock({ ...holder, pid: 2 })).toEqual({ acquired: true });
      expect(await t.store.getLock('production')).toEqual({ ...holder, pid: 2 });
      const other = { ...holder, runId: asRunId('r-2') };
      expect(await t.store.acquireLock(other)).toEqual({ acquired: false, holder: { ...holder, pid: 2 } });
      await t.store.releaseLock('production', asRunId('r-2')); // not the holder: no effect
      expect((await t.store.getLock('production'))?.runId).toBe('r-1');
      await t.store.releaseLock('production', asRunId('r-1'));
      expect(await t.store.getLock('production')).toBeUndefined();
      expect(await t.store.acquireLock(other)).toEqual({ acquired: true });
      expect(await t.store.acquireLock({ ...holder, environment: 'staging' })).toEqual({ acquired: true });
    });

    it('gives exactly one winner among many concurrent acquires in one process', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          t.store.acquireLock({ environment: 'prod', runId: asRunId(`r-${i}`), actor: { id: 'a', via: 'system' }, since: 'T', pid: i, host: null }),
        ),
      );
      expect(results.filter((r) => r.acquired)).toHaveLength(1);
    });

    it('appends a hash chain: seq from 1, prev linking, hash per entry.ts', async () => {
      const e1 = await t.store.appendLedger(sampleDraft(null, 1));
      const e2 = await t.store.appendLedger({ ...sampleDraft(asRunId('r-1'), 2), step: asStepId('s'), data: { nested: { b: 1, a: [1, 'x', null] }, gone: undefined } });
      expect(e1).toMatchObject({ seq: 1, prev: GENESIS_HASH });
      expect(e2).toMatchObject({ seq: 2, prev: e1.hash, data: { nested: { b: 1, a: [1, 'x', null] } } });
      const { hash, ...rest } = e2;
      expect(computeEntryHash(e1.hash, rest)).toBe(hash);
      expect(await t.store.readLedger()).toEqual([e1, e2]);
      expect(await t.store.readLedger({ run: asRunId('r-1') })).toEqual([e2]);
      expect(await t.store.readLedger({ kind: 'nope' })).toEqual([]);
      expect(await t.store.readLedger({ fromSeq: 2 })).toEqual([e2]);
    });

    it('record: applies the projection and the ledger entry in one transaction, or neither', async () => {
      const run = asRunId('r-rec');
      await t.store.createRun(sampleRun('r-rec'));
      const e = await t.store.record(sampleDraft(run, 1), async (w) => {
        await w.saveStep(sampleStep(run, 'a'));
        await w.updateRun(run, { status: 'waiting', updatedAt: '2026-11-21T00:00:01.000Z' });
      });
      expect(e.seq).toBe(1);
      expect((await t.store.getSteps(run)).map((s) => s.stepId)).toEqual(['a']);
      expect((await t.store.getRun(run))?.status).toBe('waiting');
      // A projection that fails (an unknown run) rolls back its earlier write and appends nothing.
      await expect(
        t.store.record(sampleDraft(run, 2), async (w) => {
          await w.saveStep(sampleStep(run, 'b'));
          await w.updateRun(asRunId('r-missing'), { status: 'failed', updatedAt: '2026-11-21T00:00:02.000Z' });
        }),
      ).rejects.toMatchObject({ code: 'SG_RUN_NOT_FOUND' });
      expect((await t.store.getSteps(run)).map((s) => s.stepId)).toEqual(['a']);
      expect((await t.store.readLedger()).map((x) => x.seq)).toEqual([1]);
    });

    it('recordAll: several events in one transaction, in order, or none of them', async () => {
      const run = asRunId('r-all');
      await t.store.createRun(sampleRun('r-all'));
      const entries = await t.store.recordAll([
        { draft: sampleDraft(run, 1), project: (w) => w.saveStep(sampleStep(run, 'a', { status: 'passed' })) },
        { draft: sampleDraft(run, 2), project: (w) => w.saveStep(sampleStep(run, 'b', { status: 'running' })) },
      ]);
      expect(entries.map((e) => e.seq)).toEqual([1, 2]);
      expect(entries[1]!.prev).toBe(entries[0]!.hash);
      expect((await t.store.getSteps(run)).map((s) => [s.stepId, s.status])).toEqual([['a', 'passed'], ['b', 'running']]);
      // The second event's projection fails: the first event's row and entry are rolled back too.
      await expect(
        t.store.recordAll([
          { draft: sampleDraft(run, 3), project: (w) => w.saveStep(sampleStep(run, 'c')) },
          { draft: sampleDraft(run, 4), project: (w) => w.updateRun(asRunId('r-missing'), { status: 'failed', updatedAt: '2026-11-21T00:00:02.000Z' }) },
        ]),
      ).rejects.toMatchObject({ code: 'SG_RUN_NOT_FOUND' });
      expect((await t.store.getSteps(run)).map((s) => s.stepId)).toEqual(['a', 'b']);
      expect((await t.store.readLedger()).map((x) => x.seq)).toEqual([1, 2]);
    });

    it('keeps the chain linear under many concurrent appends in one process', async () => {
      await Promise.all(Array.from({ length: 50 }, (_, i) => t.store.appendLedger(sampleDraft(null, i))));
      const entries = await t.store.readLedger();
      expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      for (let i = 1; i < entries.length; i++) expect(entries[i]!.prev).toBe(entries[i - 1]!.hash);
    });
  });
}
