/**
 * The dialect seam (STYLE.md: kysely's Dialect). The repository in `sql-state-store.ts` writes
 * its SQL once, with `?` placeholders and the subset of SQL that SQLite and Postgres share
 * (`INSERT … ON CONFLICT`, `ORDER BY`, `LIMIT`). Everything that differs — connections, schema
 * DDL and migrations, how a write transaction is serialised across processes, how driver errors
 * map to user errors — lives in one dialect per database under `sqlite/` and `postgres/`.
 */
export interface SqlExecutor {
  /** Runs a query and returns its rows. Placeholders are `?`; the dialect rewrites them. */
  all<R>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs a statement and returns the number of affected rows. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

export interface Dialect extends SqlExecutor {
  readonly name: 'sqlite' | 'postgres';
  /**
   * Runs `fn` in a write transaction that is serialised with every other writer holding the same
   * `lock` — in this process and in every other process using the same database. Commits when
   * `fn` resolves, rolls back when it throws. SQLite: `BEGIN IMMEDIATE` (one writer per file);
   * Postgres: a transaction-scoped advisory lock named after `lock` and the schema.
   */
  writeTransaction<T>(lock: string, fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
