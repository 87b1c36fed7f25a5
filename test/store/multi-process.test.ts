import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/verify-ledger.js';
import { compileSrc } from '../support/compile-src.js';
import { startNodeChild } from '../support/child.js';
import { postgresAvailable } from '../support/postgres.js';
import { createTestStore, type DialectName, type TestStore } from '../support/store-fixtures.js';

const pgUp = await postgresAvailable();
let compiled: { dir: string; cleanup(): void };
beforeAll(() => {
  compiled = compileSrc();
});
afterAll(() => compiled.cleanup());

/** A child that opens the same store, waits for "go" on stdin, runs `body`, prints DONE <json>. */
function childScript(openArgs: object, body: string): string {
  return `
    import { openStore } from ${JSON.stringify(`${compiled.dir}/store/open-store.js`)};
    const store = await openStore(${JSON.stringify(openArgs)});
    console.log('READY');
    await new Promise((r) => process.stdin.once('data', r));
    const result = await (async () => { ${body} })();
    await store.close();
    console.log('DONE ' + JSON.stringify(result));
    process.exit(0);`;
}

async function runPair(t: TestStore, body: (who: string) => string): Promise<unknown[]> {
  const children = ['a', 'b'].map((who) => startNodeChild(childScript(t.openArgs, body(who))));
  try {
    await Promise.all(children.map((c) => c.waitFor('READY')));
    for (const c of children) c.proc.stdin!.write('go\n'); // release both at once
    await Promise.all(children.map((c) => c.waitFor('DONE ')));
    const codes = await Promise.all(children.map((c) => c.exited));
    expect(codes, children.map((c) => c.stderr()).join('\n')).toEqual([0, 0]);
    return children.map((c) => JSON.parse(c.stdout().split('DONE ')[1]!) as unknown);
  } finally {
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
  }
}

for (const { name, skip } of [
  { name: 'sqlite' as DialectName, skip: false },
  { name: 'postgres' as DialectName, skip: !pgUp },
]) {
  describe.skipIf(skip)(`two processes on ${name}`, () => {
    let t: TestStore;
    beforeEach(async () => {
      t = await createTestStore(name);
    });
    afterEach(async () => {
      await t.cleanup();
    });

    it('append 200 ledger entries each, concurrently, without forking the chain', async () => {
      await runPair(
        t,
        (who) => `
          for (let i = 0; i < 200; i++) {
            await store.appendLedger({ at: new Date().toISOString(), run: null, step: null, kind: 'load', actor: { id: '${who}', via: 'system' }, data: { who: '${who}', i } });
            // Yield the write lock now and then, so that on a loaded machine one writer cannot
            // finish all its appends before the other starts (the test would then prove nothing).
            if (i % 10 === 9) await new Promise((r) => setTimeout(r, 2));
          }
          return 200;`,
      );
      const entries = await t.store.readLedger();
      expect(entries).toHaveLength(400);
      const verdict = await verifyLedger(entries);
      expect(verdict).toMatchObject({ ok: true, count: 400 });
      // Both writers really interleaved (else the test proves nothing about concurrency).
      const switches = entries.slice(1).filter((e, i) => e.actor.id !== entries[i]!.actor.id).length;
      expect(switches).toBeGreaterThan(1);
      for (const who of ['a', 'b']) {
        expect(entries.filter((e) => e.actor.id === who).map((e) => (e.data as { i: number }).i)).toEqual(Array.from({ length: 200 }, (_, i) => i));
      }
    });

    it('survives kill -9 mid-append: every append that resolved is there, and the chain verifies', async () => {
      const child = startNodeChild(`
        import { openStore } from ${JSON.stringify(`${compiled.dir}/store/open-store.js`)};
        const store = await openStore(${JSON.stringify(t.openArgs)});
        for (let i = 0; ; i++) {
          const e = await store.appendLedger({ at: new Date().toISOString(), run: null, step: null, kind: 'load', actor: { id: 'k', via: 'system' }, data: { i } });
          console.log('APPENDED ' + e.seq);
        }`);
      try {
        await child.waitFor('APPENDED 50');
        child.proc.kill('SIGKILL');
        await child.exited;
      } finally {
        if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
      }
      const reported = [...child.stdout().matchAll(/APPENDED (\d+)/g)].map((m) => Number(m[1]));
      const entries = await t.store.readLedger();
      expect(entries.length).toBeGreaterThanOrEqual(Math.max(...reported));
      expect(await verifyLedger(entries)).toMatchObject({ ok: true, count: entries.length });
      // The store is still usable after the crash, and the chain continues from the last entry.
      const next = await t.store.appendLedger({ at: 'T', run: null, step: null, kind: 'after', actor: { id: 'k', via: 'system' }, data: null });
      expect(next.seq).toBe(entries.length + 1);
    });

    it('many concurrent lock acquires from two processes: exactly one wins', async () => {
      const results = (await runPair(
        t,
        (who) => `
          const attempts = Array.from({ length: 25 }, (_, i) => store.acquireLock({
            environment: 'production', runId: 'r-${who}-' + i, actor: { id: '${who}', via: 'system' }, since: new Date().toISOString(), pid: process.pid, host: 'h',
          }));
          return (await Promise.all(attempts)).map((r, i) => r.acquired ? 'r-${who}-' + i : null).filter(Boolean);`,
      )) as string[][];
      const winners = results.flat();
      expect(winners).toHaveLength(1);
      expect((await t.store.getLock('production'))?.runId).toBe(winners[0]);
    });
  });
}
