/**
 * The seam to the application database whose migration bookkeeping we read. One small
 * interface, one file per engine (STYLE.md §6). Read-only: shipgate never writes here.
 */
import { redactUrl } from '../../../core/redact-url.js';

export type DbKind = 'postgres' | 'sqlite' | 'mysql';

export interface MigrationDb {
  readonly kind: DbKind;
  /** Rows of a read query; `null` when the table does not exist. */
  selectRows(sql: string): Promise<Record<string, unknown>[] | null>;
  close(): Promise<void>;
}

/** Where the database is. `url` for postgres/mysql; `path` (absolute) for SQLite. */
export interface DbTarget {
  readonly kind: DbKind;
  readonly url?: string;
  readonly path?: string;
}

/** Open a connection; the caller must close it (use {@link withMigrationDb}). */
export async function openMigrationDb(t: DbTarget): Promise<MigrationDb> {
  switch (t.kind) {
    case 'postgres':
      return (await import('./pg-db.js')).openPg(t.url ?? '');
    case 'sqlite':
      return (await import('./sqlite-db.js')).openSqlite(t.path ?? '');
    case 'mysql':
      return (await import('./mysql-db.js')).openMysql(t.url ?? '');
  }
}

export async function withMigrationDb<T>(t: DbTarget, fn: (db: MigrationDb) => Promise<T>): Promise<T> {
  const db = await openMigrationDb(t);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

export { redactUrl };
