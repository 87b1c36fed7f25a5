import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asRunId } from '../../src/core/brand.js';
import { verifyLedger } from '../../src/ledger/verify-ledger.js';
import { postgresAvailable } from '../support/postgres.js';
import { createTestStore, sampleDraft, type DialectName, type TestStore } from '../support/store-fixtures.js';

const pgUp = await postgresAvailable();

for (const { name, skip } of [
  { name: 'sqlite' as DialectName, skip: false },
  { name: 'postgres' as DialectName, skip: !pgUp },
]) {
  // Placeholders differ in raw SQL: SQLite takes `?`, Postgres `$1`.
  const p = (n: number) => (name === 'sqlite' ? '?' : `$${n}`);

  describe.skipIf(skip)(`ledger tampering on ${name}`, () => {
    let t: TestStore;
    /** Tampering as an attacker with write access would: drop the guards, then edit rows. */
    const tamper = async (sql: string, params?: unknown[]) => {
      await t.dropLedgerGuards();
      await t.exec(sql, params);
    };
    beforeEach(async () => {
      t = await createTestStore(name);
      for (let i = 1; i <= 10; i++) await t.store.appendLedger(sampleDraft(asRunId('r-1'), i, { n: i, note: `entry number ${i}` }));
    });
    afterEach(async () => {
      await t.cleanup();
    });

    it('refuses updates and deletes of ledger rows while the guards are in place', async () => {
      await expect(t.exec(`UPDATE ledger SET kind = 'x' WHERE seq = 1`)).rejects.toThrow('the shipgate ledger is append-only');
      await expect(t.exec(`DELETE FROM ledger WHERE seq = 10`)).rejects.toThrow('the shipgate ledger is append-only');
      expect(await t.store.readLedger()).toHaveLength(10);
    });

    it('verifies an untouched ledger', async () => {
      const entries = await t.store.readLedger();
      expect(await verifyLedger(entries)).toEqual({ ok: true, count: 10, head: entries[9]!.hash });
    });

    it('names the entry whose data had one byte flipped in the database', async () => {
      await tamper(`UPDATE ledger SET data_json = replace(data_json, 'number 6', 'numbar 6') WHERE seq = 6`);
      expect(await verifyLedger(await t.store.readLedger())).toMatchObject({ ok: false, seq: 6, problem: 'entry-changed' });
    });

    it('names an entry whose stored JSON no longer parses', async () => {
      await tamper(`UPDATE ledger SET data_json = substr(data_json, 2) WHERE seq = 4`);
      expect(await verifyLedger(await t.store.readLedger())).toMatchObject({ ok: false, seq: 4, problem: 'entry-changed' });
    });

    it('names an entry whose actor was rewritten, even by adding a field', async () => {
      await tamper(`UPDATE ledger SET actor_json = ${p(1)} WHERE seq = 2`, ['{"id":"ops@example.com","via":"asserted-env","by":"x"}']);
      expect(await verifyLedger(await t.store.readLedger())).toMatchObject({ ok: false, seq: 2, problem: 'entry-changed' });
    });

    it('names a deleted entry by its seq', async () => {
      await tamper(`DELETE FROM ledger WHERE seq = ${p(1)}`, [3]);
      expect(await verifyLedger(await t.store.readLedger())).toEqual({
        ok: false,
        seq: 3,
        problem: 'missing-entry',
        reason: 'entry 3 is missing (the next entry is 4)',
      });
    });

    it('names the first of two entries whose places were swapped', async () => {
      await tamper(`UPDATE ledger SET seq = -1 WHERE seq = 7`);
      await tamper(`UPDATE ledger SET seq = 7 WHERE seq = 8`);
      await tamper(`UPDATE ledger SET seq = 8 WHERE seq = -1`);
      expect(await verifyLedger(await t.store.readLedger())).toMatchObject({ ok: false, seq: 7, problem: 'entry-changed' });
    });

    it('names the entry after one that was edited and re-hashed consistently', async () => {
      const entries = await t.store.readLedger();
      const { computeEntryHash } = await import('../../src/ledger/hash-entry.js');
      const e5 = entries[4]!;
      const forged = { ...e5, data: { n: 5, note: 'forged' } };
      const { hash: _old, ...body } = forged;
      const newHash = computeEntryHash(e5.prev, body);
      await tamper(`UPDATE ledger SET data_json = ${p(1)}, hash = ${p(2)} WHERE seq = 5`, ['{"n":5,"note":"forged"}', newHash]);
      expect(await verifyLedger(await t.store.readLedger())).toMatchObject({ ok: false, seq: 6, problem: 'broken-link' });
    });

    it('names a truncated tail only when the expected head is known', async () => {
      const head = (await t.store.readLedger()).at(-1)!.hash;
      await tamper(`DELETE FROM ledger WHERE seq = 10`);
      const entries = await t.store.readLedger();
      expect(await verifyLedger(entries)).toMatchObject({ ok: true, count: 9 });
      expect(await verifyLedger(entries, { expectedHead: head })).toMatchObject({ ok: false, seq: 9, problem: 'head-mismatch' });
    });
  });
}
