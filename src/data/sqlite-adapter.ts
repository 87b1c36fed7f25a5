import { openDatabase, type Database } from '../core/sqlite-driver.js';
import { constants } from 'node:fs';
import { copyFile, open, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { CheckRecord } from '../actions/action.js';
import { canonicalJson, sha256Hex } from '../core/canonical-json.js';
import type { DataContext } from './data-context.js';
import { stampOf } from './data-context.js';
import type { DatabaseAdapter, ScratchDatabase, SchemaSnapshot } from './database-adapter.js';
import { dataError } from './errors.js';
import { hashFile } from './hash-file.js';
import { takeOwnership } from './keep-ownership.js';
import { compareRowCounts } from './row-counts.js';
import type { DumpInfo, RowCounts } from './types.js';
import { timed } from './timed.js';

/** File name of the SQLite copy inside the backup's `data/db/`. */
export const SQLITE_DUMP_FILE = 'database.sqlite';
/** How long to wait for a lock held by another connection before calling the database locked. Default: 3s. */
const BUSY_TIMEOUT_MS = 3000;

/** SQLite through better-sqlite3's online backup API: a consistent copy while the app keeps writing. */
export const sqliteAdapter: DatabaseAdapter = {
  kind: 'sqlite',

  async dump(dumpDir, ctx) {
    const live = await requireLiveFile(ctx);
    const dest = join(dumpDir, SQLITE_DUMP_FILE);
    const db = openOrExplain(live, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    try {
      // Hold a read transaction for the whole copy: it takes the shared lock up front (so a lock
      // held by another process is a clear SQLITE_BUSY, not a silently empty copy) and pins one
      // snapshot, so concurrent writes cannot make the backup restart forever. In WAL mode the
      // writers go on; in rollback-journal mode they wait for the copy.
      db.exec('BEGIN');
      db.prepare('select count(*) from sqlite_master').get();
      await db.backup(dest, { progress: ({ remainingPages }) => Math.max(remainingPages, 100) });
      db.exec('COMMIT');
      const st = await stat(dest).catch(() => undefined);
      if (!st?.size) throw Object.assign(new Error('the online backup produced no file'), { code: 'SQLITE_EMPTY_COPY' });
    } catch (e) {
      throw explainSqlite(e, live, 'backup');
    } finally {
      db.close();
    }
    // Counted on the copy: it IS the snapshot, so the counts are exactly those of the backup.
    const copy = openDatabase(dest, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE'); // the copy must be one self-contained file (no -wal beside it)
      return {
        kind: 'sqlite',
        tool: 'better-sqlite3 online backup API',
        toolVersion: betterSqliteVersion(),
        serverVersion: String(copy.prepare('select sqlite_version() as v').pluck().get()),
        rowCounts: countRows(copy),
        countMethod: 'COUNT(*) per table on the backup copy (the copy is the snapshot)',
      };
    } finally {
      copy.close();
    }
  },

  async restoreToScratch(dumpDir, _info, scratchDir, _ctx) {
    const path = join(scratchDir, SQLITE_DUMP_FILE);
    // verify copies the file into scratch while re-hashing it; then the copy IS the restore.
    if (resolve(dumpDir) !== resolve(scratchDir)) await copyFile(join(dumpDir, SQLITE_DUMP_FILE), path);
    return scratchFile(path);
  },

  async checkRestored(scratch, info) {
    const db = openDatabase(scratch.location, { fileMustExist: true, readonly: true });
    try {
      const integrity = await timed(async () => db.pragma('integrity_check', { simple: false }) as Array<{ integrity_check: string }>);
      const rows = integrity.value.map((r) => r.integrity_check);
      const ok = rows.length === 1 && rows[0] === 'ok';
      const checks: CheckRecord[] = [
        { name: 'sqlite-integrity-check', passed: ok, expected: 'ok', measured: rows.slice(0, 5).join('; '), ms: integrity.ms, details: { file: scratch.location } },
      ];
      const counts = await timed(async () => countRows(db));
      checks.push(compareRowCounts(info.rowCounts, counts.value, counts.ms));
      return checks;
    } finally {
      db.close();
    }
  },

  async describeSchema(scratch) {
    const db = openDatabase(scratch.location, { fileMustExist: true, readonly: true });
    try {
      return schemaOf(db);
    } finally {
      db.close();
    }
  },

  async fingerprintLive(ctx) {
    const live = await requireLiveFile(ctx);
    // Hash the files BEFORE opening: a reader may create -shm, never change -wal or the main file.
    // The -wal holds committed writes not yet checkpointed, so it is part of the content.
    const content = sha256Hex(canonicalJson(await Promise.all([live, `${live}-wal`].map((f) => hashFile(f).then((h) => h.sha256, () => null)))));
    const db = openOrExplain(live, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    try {
      return { location: live, schema: schemaOf(db).digest, content };
    } finally {
      db.close();
    }
  },

  async checkRestoreTarget(ctx) {
    await requireLiveFile(ctx);
  },

  async preflightRestore(ctx) {
    const live = await requireLiveFile(ctx);
    const db = openOrExplain(live, { fileMustExist: true, timeout: 0 });
    try {
      db.exec('BEGIN EXCLUSIVE');
      db.exec('ROLLBACK');
      // Fold any WAL into the main file so no stale -wal can be replayed over the restored file.
      db.pragma('wal_checkpoint(TRUNCATE)');
    } catch (e) {
      throw explainSqlite(e, live, 'restore');
    } finally {
      db.close();
    }
  },

  async prepareRestore(dumpDir, _info, ctx) {
    const live = await requireLiveFile(ctx);
    const beside = `${live}.shipgate-restore-${stampOf(ctx.clock())}`;
    // Only what this restore made is ever removed: a file already at that name is not ours.
    let made = false;
    const discard = async () => {
      if (made) await rm(beside, { force: true });
    };
    try {
      await copyFile(join(dumpDir, SQLITE_DUMP_FILE), beside, constants.COPYFILE_EXCL);
      made = true;
      // The backup's copy is in rollback-journal mode; an app whose database was in WAL mode may
      // not set it again itself (the mode is kept in the file).
      if (await inWalMode(live)) {
        const db = openDatabase(beside);
        try {
          db.pragma('journal_mode = WAL');
        } finally {
          db.close();
        }
      }
      await takeOwnership(beside, await stat(live));
    } catch (e) {
      await discard();
      throw e;
    }
    return {
      swap: async () => {
        await this.preflightRestore(ctx);
        await rename(beside, live);
        await rm(`${live}-wal`, { force: true });
        await rm(`${live}-shm`, { force: true });
      },
      discard,
    };
  },
};

/** WAL mode is recorded in the file header: bytes 18 and 19 are 2 (SQLite file format). */
async function inWalMode(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const header = Buffer.alloc(20);
    await fh.read(header, 0, 20, 0);
    return header[18] === 2 && header[19] === 2;
  } finally {
    await fh.close();
  }
}

function scratchFile(path: string): ScratchDatabase {
  return {
    location: path,
    // SQLAlchemy/Alembic read `sqlite:////abs/path` (four slashes for an absolute path).
    env: { SHIPGATE_REHEARSAL_DATABASE_PATH: path, DATABASE_URL: `sqlite:///${path}` },
    drop: async () => {
      for (const f of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) await rm(f, { force: true });
    },
  };
}

async function requireLiveFile(ctx: DataContext): Promise<string> {
  const rel = ctx.config.database?.path;
  if (!rel) throw dataError('SG_DATA_NO_DB_PATH', 'data.database.path is not set for kind sqlite', 'add `path:` under data.database in the runbook');
  const live = resolve(ctx.baseDir, rel);
  const st = await stat(live).catch(() => undefined);
  if (!st?.isFile()) {
    throw dataError('SG_DATA_DB_MISSING', `SQLite database ${live} does not exist (data.database.path: ${rel})`, 'check data.database.path in the runbook, or that the app has created its database');
  }
  return live;
}

function openOrExplain(path: string, opts: Database.Options): Database.Database {
  try {
    return openDatabase(path, opts);
  } catch (e) {
    throw explainSqlite(e, path, 'open');
  }
}

function explainSqlite(e: unknown, path: string, what: string): Error {
  const code = (e as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return dataError('SG_DATA_DB_LOCKED', `SQLite database ${path} is locked by another process (${code}); ${what} did not touch it`, 'stop the app (or whatever holds the lock) and run the command again');
  }
  if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR')) {
    return dataError('SG_DATA_DISK_FULL', `SQLite ${what} of ${path} failed: ${code} (${(e as Error).message}); the disk is full or failing`, 'free space on the backups disk (data.backups) and run the command again');
  }
  return dataError('SG_DATA_SQLITE_FAILED', `SQLite ${what} of ${path} failed: ${(e as Error).message}`, 'check the file and the free disk space, then run the command again');
}

/** Exact row counts of every user table. */
export function countRows(db: Database.Database): RowCounts {
  const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").pluck().all() as string[];
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number(db.prepare(`select count(*) from "${t.replace(/"/g, '""')}"`).pluck().get());
  return out;
}

function schemaOf(db: Database.Database): SchemaSnapshot {
  const rows = db.prepare("select type, name, tbl_name, sql from sqlite_master where name not like 'sqlite_%' order by type, name").all();
  const tables = (rows as Array<{ type: string; name: string }>).filter((r) => r.type === 'table').map((r) => r.name);
  return { digest: sha256Hex(canonicalJson(rows)), tables };
}

function betterSqliteVersion(): string {
  try {
    return String((createRequire(import.meta.url)('better-sqlite3/package.json') as { version: string }).version);
  } catch {
    return 'unknown';
  }
}
