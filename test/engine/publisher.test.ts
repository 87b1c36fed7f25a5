import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asRunId, asStepId, type RunId } from '../../src/core/brand.js';
import { Redactor } from '../../src/core/redact.js';
import type { RunEvent } from '../../src/engine/events.js';
import { persistEvents, type PersistEvents } from '../../src/engine/persist.js';
import { Publisher } from '../../src/engine/publisher.js';
import { evidenceFor } from '../../src/engine/step-evidence.js';
import { createTestStore, sampleRun, type TestStore } from '../support/store-fixtures.js';

// The publisher against the real SQLite store; `persistEvents` is wrapped only to see how the
// events were grouped into transactions.
const RUN: RunId = asRunId('r-pub');
const actor = { id: 'ops@example.com', via: 'asserted' as const };
const at = '2026-11-21T09:00:00.000Z';
const started = (step: string): RunEvent => ({ kind: 'step-started', at, run: RUN, step: asStepId(step), section: 'forward', name: step, attempt: 1 });
const finished = (step: string, summary = 'exit 0'): RunEvent => ({
  kind: 'step-finished', at, run: RUN, step: asStepId(step), section: 'forward', status: 'passed', attempt: 1, exitCode: 0,
  durationMs: 1, summary, outputs: {}, checks: [], logSha256: null, artifacts: [], data: null,
});
const nextTurn = () => new Promise((r) => setImmediate(r));

describe('Publisher: durable before displayed, and a step end rides with the next start', () => {
  let t: TestStore;
  let batches: string[][];
  let persist: PersistEvents;
  beforeEach(async () => {
    t = await createTestStore('sqlite');
    await t.store.createRun(sampleRun('r-pub'));
    batches = [];
    const real = persistEvents(t.store, actor);
    persist = async (events) => {
      batches.push(events.map((e) => `${e.kind}:${'step' in e ? e.step : ''}`));
      await real(events);
    };
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('writes a held step end in the same transaction as the next step start, in publish order', async () => {
    const p = new Publisher(new Redactor(), persist, []);
    await p.publish(started('a'));
    p.publishSoon(finished('a'));
    await p.publish(started('b'));
    expect(batches).toEqual([['step-started:a'], ['step-finished:a', 'step-started:b']]);
    const ledger = await t.store.readLedger({ run: RUN });
    expect(ledger.map((e) => `${e.kind}:${e.step}`)).toEqual(['step-started:a', 'step-finished:a', 'step-started:b']);
    expect((await t.store.getSteps(RUN)).map((s) => [s.stepId, s.status])).toEqual([['a', 'passed'], ['b', 'running']]);
  });

  it("an action's evidence is written after a step end still held (a parallel run keeps the order things happened)", async () => {
    const p = new Publisher(new Redactor(), persist, []);
    await p.publish(started('a'));
    p.publishSoon(finished('a'));
    // Step b, running beside a, records evidence in the same turn that a concluded.
    const evidence = evidenceFor({ store: t.store, publisher: p, redactor: new Redactor(), runId: RUN, actor, clock: () => new Date(at) }, asStepId('b'));
    await evidence.record('backup-created', { id: 'x' });
    const ledger = await t.store.readLedger({ run: RUN });
    expect(ledger.map((e) => `${e.kind}:${e.step}`)).toEqual(['step-started:a', 'step-finished:a', 'backup-created:b']);
  });

  it('writes a held event at the next turn of the event loop when nothing follows it', async () => {
    const p = new Publisher(new Redactor(), persist, []);
    p.publishSoon(finished('a'));
    expect(await t.store.readLedger({ run: RUN })).toEqual([]);
    await nextTurn();
    await nextTurn();
    expect((await t.store.readLedger({ run: RUN })).map((e) => e.kind)).toEqual(['step-finished']);
  });

  it('flush writes a held event at once (the driver calls it when it fails, before the store closes)', async () => {
    const p = new Publisher(new Redactor(), persist, []);
    p.publishSoon(finished('a'));
    await p.flush();
    expect((await t.store.readLedger({ run: RUN })).map((e) => e.kind)).toEqual(['step-finished']);
    expect(batches).toEqual([['step-finished:a']]);
  });

  it('hands an event to the displays only once the store holds it, and redacts before both', async () => {
    const seen: string[] = [];
    const display = async (e: RunEvent) => {
      const stored = (await t.store.readLedger({ run: RUN })).map((x) => `${x.kind}:${x.step}`);
      seen.push(`${e.kind}:${'step' in e ? e.step : ''} stored=${stored.includes(`${e.kind}:${'step' in e ? e.step : ''}`)}`);
      if (e.kind === 'step-finished') seen.push(`summary=${e.summary}`);
    };
    const p = new Publisher(new Redactor().add('hunter2-canary'), persist, [display]);
    p.publishSoon(finished('a', 'printed hunter2-canary'));
    await p.publish(started('b'));
    expect(seen).toEqual(['step-finished:a stored=true', 'summary=printed ***', 'step-started:b stored=true']);
    expect(JSON.stringify(await t.store.readLedger())).not.toContain('hunter2-canary');
  });

  it('a display that fails while a held event is written in the background fails the next publish', async () => {
    const broken = async (e: RunEvent) => {
      if (e.kind === 'step-finished') throw new Error('display broke');
    };
    const p = new Publisher(new Redactor(), persist, [broken]);
    p.publishSoon(finished('a'));
    await nextTurn();
    await nextTurn();
    await expect(p.publish(started('b'))).rejects.toThrow('display broke');
    // The held event itself was stored before the display saw it.
    expect((await t.store.readLedger({ run: RUN })).map((e) => e.kind)).toEqual(['step-finished']);
  });

  it('a held event whose write fails makes the next publish fail, and nothing later is written', async () => {
    let fail = true;
    const flaky: PersistEvents = async (events) => {
      if (fail) throw new Error('disk full (simulated)');
      await persist(events);
    };
    const p = new Publisher(new Redactor(), flaky, []);
    p.publishSoon(finished('a'));
    await nextTurn();
    await nextTurn();
    fail = false;
    // The chain must not go on past a lost event: the error is the next publisher call's.
    await expect(p.publish(started('b'))).rejects.toThrow('disk full (simulated)');
    await expect(p.publish(started('c'))).rejects.toThrow('disk full (simulated)');
    expect(await t.store.readLedger({ run: RUN })).toEqual([]);
  });
});
