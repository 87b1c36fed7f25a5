import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { asRunId, asSha256, asStepId, type RunId } from '../../src/core/brand.js';
import type { LedgerDraft } from '../../src/ledger/entry.js';
import { openStore } from '../../src/store/open-store.js';
import type { RunRecord, StepRecord } from '../../src/store/records.js';
import type { StateStore } from '../../src/store/state-store.js';
import { adminQuery, createTestSchema } from './postgres.js';

export type DialectName = 'sqlite' | 'postgres';

/** A store on a fresh database of the given dialect, plus raw SQL access for tamper tests. */
export interface TestStore {
  readonly store: StateStore;
  readonly stateDir: string;
  /** What another process passes to openStore to reach the same database. */
  readonly openArgs: { stateDir: string; databaseUrl?: string };
  /** Raw SQL on the same database, bypassing the store (SQLite: `?`; Postgres: `$1`). */
  exec(sql: string, params?: unknown[]): Promise<void>;
  /** Drops the append-only triggers on the ledger, as someone tampering with the file would. */
  dropLedgerGuards(): Promise<void>;
  cleanup(): Promise<void>;
}

export async function createTestStore(dialect: DialectName): Promise<TestStore> {
  const stateDir = mkdtempSync(join(tmpdir(), 'sg-store-'));
  if (dialect === 'sqlite') {
    const store = await openStore({ stateDir });
    return {
      store,
      stateDir,
      openArgs: { stateDir },
      async exec(sql, params = []) {
        const db = new Database(join(stateDir, 'state.db'));
        try {
          db.prepare(sql).run(...params);
        } finally {
          db.close();
        }
      },
      async dropLedgerGuards() {
        await this.exec('DROP TRIGGER IF EXISTS ledger_no_update');
        await this.exec('DROP TRIGGER IF EXISTS ledger_no_delete');
      },
      async cleanup() {
        await store.close();
        rmSync(stateDir, { recursive: true, force: true });
      },
    };
  }
  const schema = createTestSchema();
  const store = await openStore({ stateDir, databaseUrl: schema.url });
  return {
    store,
    stateDir,
    openArgs: { stateDir, databaseUrl: schema.url },
    async exec(sql, params = []) {
      await adminQuery(sql, params, schema.schema);
    },
    async dropLedgerGuards() {
      await adminQuery('DROP TRIGGER IF EXISTS ledger_no_change ON ledger', [], schema.schema);
      await adminQuery('DROP TRIGGER IF EXISTS ledger_no_truncate ON ledger', [], schema.schema);
    },
    async cleanup() {
      await store.close();
      await schema.drop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export const T0 = '2026-11-21T09:00:00.000Z';

export function sampleRun(id: string, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id: asRunId(id),
    runbookName: 'Selenite production release',
    runbookPath: '/srv/selenite/shipgate.yml',
    runbookDigest: asSha256('a'.repeat(64)),
    environment: 'production',
    release: '1.4.0',
    status: 'running',
    actor: { id: 'ops@example.com', via: 'asserted-env' },
    planJson: '{"steps":[]}',
    startedAt: T0,
    updatedAt: T0,
    endedAt: null,
    pid: 4242,
    host: 'build-1',
    ...overrides,
  };
}

export function sampleStep(runId: RunId, stepId: string, overrides: Partial<StepRecord> = {}): StepRecord {
  return {
    runId,
    stepId: asStepId(stepId),
    section: 'forward',
    status: 'passed',
    attempt: 1,
    startedAt: T0,
    endedAt: '2026-11-21T09:00:02.500Z',
    exitCode: 0,
    summary: 'exit 0',
    outputs: {},
    logSha256: null,
    ...overrides,
  };
}

export function sampleDraft(run: RunId | null, n: number, data: unknown = { n }): LedgerDraft {
  return { at: T0, run, step: null, kind: 'test-event', actor: { id: 'ops@example.com', via: 'asserted-env' }, data };
}
