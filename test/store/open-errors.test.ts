import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUserError } from '../../src/core/errors.js';
import { openStore } from '../../src/store/open-store.js';
import { startNodeChild, type Child } from '../support/child.js';
import { adminQuery, createTestSchema, postgresAvailable } from '../support/postgres.js';
import { sampleRun } from '../support/store-fixtures.js';

let dir: string;
const cleanups: Array<() => Promise<void> | void> = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sg-open-'));
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  rmSync(dir, { recursive: true, force: true });
});

async function openError(p: Promise<unknown>) {
  const e = await p.then(
    (s) => {
      cleanups.push(() => (s as { close(): Promise<void> }).close());
      throw new Error('expected openStore to fail');
    },
    (x: unknown) => x,
  );
  if (!isUserError(e)) throw e;
  return e;
}

describe('openStore on SQLite', () => {
  it('creates state.db in WAL mode with the schema version set', async () => {
    const store = await openStore({ stateDir: join(dir, 'nested', '.shipgate') });
    await store.close();
    const db = new Database(join(dir, 'nested', '.shipgate', 'state.db'), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.close();
  });

  it('migrates a version-1 store forward, keeping its data', async () => {
    const { SQLITE_MIGRATIONS } = await import('../../src/store/sqlite/sqlite-migrations.js');
    const file = join(dir, 'state.db');
    const v1 = new Database(file);
    v1.exec(SQLITE_MIGRATIONS[0]!);
    v1.pragma('user_version = 1');
    v1.prepare("INSERT INTO meta (key, value) VALUES ('kept', 'yes')").run();
    v1.close();
    const store = await openStore({ stateDir: dir });
    await store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_MIGRATIONS.length);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'kept'").get()).toEqual({ value: 'yes' });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all()).toEqual([
      { name: 'ledger_no_delete' },
      { name: 'ledger_no_update' },
    ]);
    db.close();
  });

  it('reopens an existing store and keeps its data', async () => {
    const a = await openStore({ stateDir: dir });
    await a.createRun(sampleRun('r-1'));
    await a.close();
    const b = await openStore({ stateDir: dir });
    expect((await b.listRuns()).map((r) => r.id)).toEqual(['r-1']);
    await b.close();
  });

  it('refuses a garbage state.db with SG_STATE_CORRUPT and leaves it byte-identical', async () => {
    const file = join(dir, 'state.db');
    const garbage = randomBytes(8192);
    writeFileSync(file, garbage);
    const e = await openError(openStore({ stateDir: dir }));
    expect(e.code).toBe('SG_STATE_CORRUPT');
    expect(e.message).toBe(`state file ${file} is corrupt: not an SQLite database (bad header) (it was left untouched)`);
    expect(e.hint).toContain(`cp ${file} ${file}.bad`);
    expect(readFileSync(file).equals(garbage)).toBe(true);
    expect(readdirSync(dir)).toEqual(['state.db']); // no -wal / -shm created beside it
  });

  it('refuses a state.db whose pages are damaged (valid header) and does not modify it', async () => {
    const s = await openStore({ stateDir: dir });
    for (let i = 0; i < 50; i++) await s.createRun(sampleRun(`r-${i}`, { planJson: 'x'.repeat(2000) }));
    await s.close();
    const file = join(dir, 'state.db');
    const bytes = readFileSync(file);
    // Keep the 100-byte header, overwrite page 1's schema area and the pages after it.
    randomBytes(bytes.length - 100).copy(bytes, 100);
    writeFileSync(file, bytes);
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
    const e = await openError(openStore({ stateDir: dir }));
    expect(e.code).toBe('SG_STATE_CORRUPT');
    expect(e.message).toContain(file);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('refuses a state.db that is a directory', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'state.db'));
    const e = await openError(openStore({ stateDir: dir }));
    expect(e.code).toBe('SG_STATE_CORRUPT');
    expect(e.message).toContain('it is not a regular file');
  });

  it('refuses a schema newer than it knows, without migrating', async () => {
    const file = join(dir, 'state.db');
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    const before = readFileSync(file);
    const e = await openError(openStore({ stateDir: dir }));
    expect(e.code).toBe('SG_STATE_TOO_NEW');
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('reports a state directory that cannot be created as SG_STATE_UNWRITABLE', async () => {
    writeFileSync(join(dir, 'a-file'), 'x');
    const stateDir = join(dir, 'a-file', '.shipgate');
    const e = await openError(openStore({ stateDir }));
    expect(e.code).toBe('SG_STATE_UNWRITABLE');
    expect(e.message).toMatch(new RegExp(`^state directory ${stateDir} is not writable: `));
    expect(e.hint).toContain('--state DIR');
  });

  it('with create: false reports a missing store as SG_STATE_MISSING and creates nothing', async () => {
    const stateDir = join(dir, 'none');
    const e = await openError(openStore({ stateDir, create: false }));
    expect(e.code).toBe('SG_STATE_MISSING');
    expect(existsSync(stateDir)).toBe(false);
  });

  it('gives SG_STATE_BUSY when another process holds a write transaction beyond the timeout', async () => {
    const first = await openStore({ stateDir: dir });
    await first.close();
    const file = join(dir, 'state.db');
    const holder: Child = startNodeChild(
      `import Database from 'better-sqlite3';
       const db = new Database(${JSON.stringify(file)});
       db.exec('BEGIN IMMEDIATE');
       db.prepare("INSERT INTO meta (key, value) VALUES ('held', 'yes')").run();
       console.log('LOCKED');
       process.stdin.on('end', () => { db.exec('ROLLBACK'); db.close(); process.exit(0); });
       process.stdin.resume();`,
    );
    cleanups.push(async () => {
      holder.proc.stdin!.end();
      await holder.exited;
    });
    await holder.waitFor('LOCKED');
    const store = await openStore({ stateDir: dir, busyTimeoutMs: 200 });
    cleanups.push(() => store.close());
    const e = await store.createRun(sampleRun('r-1')).then(
      () => {
        throw new Error('expected SG_STATE_BUSY');
      },
      (x: unknown) => x,
    );
    expect(isUserError(e) && e.code).toBe('SG_STATE_BUSY');
    expect((e as Error).message).toBe(`state file ${file} is locked by another process (still busy after 200ms)`);
    // Reads still work in WAL mode while the writer holds its lock.
    expect(await store.listRuns()).toEqual([]);
    // Once the other process lets go, the same store writes normally.
    holder.proc.stdin!.end();
    await holder.exited;
    await store.createRun(sampleRun('r-1'));
    expect((await store.listRuns()).map((r) => r.id)).toEqual(['r-1']);
  });
});

const pgUp = await postgresAvailable();

describe('openStore on Postgres', () => {
  it.skipIf(!pgUp)('refuses a schema version newer than it knows, without changing it', async () => {
    const schema = createTestSchema();
    cleanups.push(() => schema.drop());
    const store = await openStore({ stateDir: dir, databaseUrl: schema.url });
    await store.close();
    await adminQuery('UPDATE schema_version SET version = 42', [], schema.schema);
    const e = await openError(openStore({ stateDir: dir, databaseUrl: schema.url }));
    expect(e.code).toBe('SG_STATE_TOO_NEW');
    expect((await adminQuery('SELECT version FROM schema_version', [], schema.schema)).rows).toEqual([{ version: 42 }]);
  });

  it('reports an unreachable server as SG_STATE_UNREACHABLE with the password redacted', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const url = 'postgres://deploy:s3cret-pw@127.0.0.1:1/shipgate?schema=ops';
    const e = await openError(openStore({ stateDir: dir, databaseUrl: url, connectTimeoutMs: 1000 }));
    expect(e.code).toBe('SG_STATE_UNREACHABLE');
    expect(e.message).toMatch(/^cannot connect to the state database postgres:\/\/deploy:\*\*\*@127\.0\.0\.1:1\/shipgate\?schema=ops: ECONNREFUSED/);
    expect(`${e.message} ${e.hint} ${JSON.stringify(e.details)}`).not.toContain('s3cret-pw');
  });

  it.skipIf(!pgUp)('reports a database that does not exist as SG_STATE_UNREACHABLE', async () => {
    const url = 'postgres://postgres:pw-not-shown@127.0.0.1:5432/sg_no_such_db_4f2a';
    const e = await openError(openStore({ stateDir: dir, databaseUrl: url }));
    expect(e.code).toBe('SG_STATE_UNREACHABLE');
    expect(e.message).toBe('cannot connect to the state database postgres://postgres:***@127.0.0.1:5432/sg_no_such_db_4f2a: the database does not exist');
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    const e = await openError(openStore({ stateDir: dir, databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres?schema=a;drop' }));
    expect(e.code).toBe('SG_STATE_URL');
  });
});
