import type { StateStore } from './state-store.js';
import { SqlStateStore } from './sql-state-store.js';

export interface OpenStoreOptions {
  /** Directory of `state.db` (SQLite) and `artifacts/`. */
  readonly stateDir: string;
  /** `postgres://…` selects Postgres (team mode) instead of `<stateDir>/state.db`. */
  readonly databaseUrl?: string;
  /** Reserved for timestamps the store writes itself; records carry their own. Default: `() => new Date()`. */
  readonly clock?: () => Date;
  /** SQLite: how long to wait for another process's write lock. Default: 5000 ms. */
  readonly busyTimeoutMs?: number;
  /** Postgres: how long to wait for a connection. Default: 5000 ms. */
  readonly connectTimeoutMs?: number;
  /** SQLite: create the directory and database when missing (else SG_STATE_MISSING). Default: true. */
  readonly create?: boolean;
}

/**
 * Opens the state store: SQLite at `<stateDir>/state.db` (WAL, busy timeout, foreign keys,
 * migrated forward) unless `databaseUrl` names a Postgres database. Fails with a UserError
 * (SG_STATE_CORRUPT, SG_STATE_BUSY, SG_STATE_UNWRITABLE, SG_STATE_UNREACHABLE, SG_STATE_MISSING,
 * SG_STATE_TOO_NEW) naming the file or the redacted URL; a corrupt file is never written to.
 * Dialect modules are imported lazily so a SQLite user never loads pg, and vice versa.
 */
export async function openStore(opts: OpenStoreOptions): Promise<StateStore> {
  if (opts.databaseUrl) {
    const { openPostgres } = await import('./postgres/open-postgres.js');
    return new SqlStateStore(
      await openPostgres({ databaseUrl: opts.databaseUrl, ...(opts.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: opts.connectTimeoutMs }) }),
    );
  }
  const { openSqlite } = await import('./sqlite/open-sqlite.js');
  return new SqlStateStore(
    openSqlite({
      stateDir: opts.stateDir,
      ...(opts.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: opts.busyTimeoutMs }),
      ...(opts.create === undefined ? {} : { create: opts.create }),
    }),
  );
}
