import { dirname } from 'node:path';
import { stateBusy, stateCorrupt, stateUnwritable } from '../store-errors.js';

/**
 * Turns a better-sqlite3 error into the store's user error when it is one the operator can act
 * on (busy, corrupt, unwritable); anything else is returned unchanged (a bug).
 */
export function mapSqliteError(e: unknown, file: string, busyTimeoutMs: number): unknown {
  const code = (e as { code?: unknown })?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return e;
  const message = (e as Error).message;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return stateBusy(file, busyTimeoutMs);
  if (code === 'SQLITE_NOTADB') return stateCorrupt(file, 'not an SQLite database');
  if (code.startsWith('SQLITE_CORRUPT')) return stateCorrupt(file, message);
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM' || code === 'SQLITE_FULL') {
    return stateUnwritable(dirname(file), `${code}: ${message}`);
  }
  return e;
}
