import { mkdirSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Database } from '../../core/sqlite-driver.js';
import { stateCorrupt, stateMissing, stateTooNew, stateUnwritable } from '../store-errors.js';
import { SqliteDialect } from './sqlite-dialect.js';
import { mapSqliteError } from './sqlite-errors.js';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.js';

export interface OpenSqliteOptions {
  readonly stateDir: string;
  /** How long to wait for another process's write lock. Default: 5000 ms. */
  readonly busyTimeoutMs?: number;
  /** Create the directory and database when missing. Default: true. */
  readonly create?: boolean;
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Opens `<stateDir>/state.db`: checks, without writing a byte, that an existing file is an SQLite
 * database this version understands; then opens it in WAL mode with a busy timeout and foreign
 * keys, and applies pending migrations in one `BEGIN IMMEDIATE` transaction.
 */
export function openSqlite(opts: OpenSqliteOptions): SqliteDialect {
  const busyTimeoutMs = opts.busyTimeoutMs ?? 5000;
  const file = join(opts.stateDir, 'state.db');
  const exists = fileSize(file) !== undefined;
  if (!exists && opts.create === false) throw stateMissing(file);
  if (exists) probeExisting(file, busyTimeoutMs);
  else {
    try {
      mkdirSync(opts.stateDir, { recursive: true });
    } catch (e) {
      throw stateUnwritable(opts.stateDir, (e as Error).message);
    }
  }

  let db: Database.Database;
  try {
    db = openDatabase(file, { timeout: busyTimeoutMs });
  } catch (e) {
    throw mapSqliteError(e, file, busyTimeoutMs);
  }
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a commit survives a crash of the process (kill -9); only a power loss
    // may drop the last commits, and never corrupts the file. FULL would fsync every step.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, file);
  } catch (e) {
    db.close();
    throw mapSqliteError(e, file, busyTimeoutMs);
  }
  return new SqliteDialect(db, file, busyTimeoutMs);
}

function migrate(db: Database.Database, file: string): void {
  const current = () => db.pragma('user_version', { simple: true }) as number;
  if (current() === SQLITE_MIGRATIONS.length) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    const from = current(); // re-read under the lock: another process may have migrated meanwhile
    if (from > SQLITE_MIGRATIONS.length) throw stateTooNew(file, from, SQLITE_MIGRATIONS.length);
    for (let v = from; v < SQLITE_MIGRATIONS.length; v++) {
      db.exec(SQLITE_MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }
    db.exec('COMMIT');
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
}

/** Read-only checks on an existing file; never writes to it. */
function probeExisting(file: string, busyTimeoutMs: number): void {
  if (!statSync(file).isFile()) throw stateCorrupt(file, 'it is not a regular file');
  const size = fileSize(file)!;
  if (size === 0) return; // an empty file is an empty SQLite database
  const header = Buffer.alloc(SQLITE_HEADER.length);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    throw stateUnwritable(file, (e as Error).message);
  }
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (size < 100 || !header.equals(SQLITE_HEADER)) throw stateCorrupt(file, 'not an SQLite database (bad header)');
  let ro: Database.Database | undefined;
  try {
    ro = openDatabase(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
    ro.prepare('SELECT count(*) FROM sqlite_master').get();
    const version = ro.pragma('user_version', { simple: true }) as number;
    if (version > SQLITE_MIGRATIONS.length) throw stateTooNew(file, version, SQLITE_MIGRATIONS.length);
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    // A read-only open can fail for reasons that the read-write open handles better (a WAL file
    // without its -shm in a read-only directory); only corruption verdicts are final here.
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) throw mapSqliteError(e, file, busyTimeoutMs);
    if (!code.startsWith('SQLITE_')) throw e;
  } finally {
    ro?.close();
  }
}

function fileSize(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}
