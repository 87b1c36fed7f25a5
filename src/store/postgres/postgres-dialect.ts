import type pg from 'pg';
import type { Dialect, SqlExecutor } from '../dialect.js';
import { mapPostgresError } from './postgres-errors.js';

/**
 * Postgres through a pg Pool. Writers that must not interleave (ledger appends, environment
 * locks) take a transaction-scoped advisory lock keyed by schema + lock name, so they serialise
 * across every process and host sharing the database.
 */
export class PostgresDialect implements Dialect {
  readonly name = 'postgres' as const;

  constructor(
    private readonly pool: pg.Pool,
    /** The schema holding the tables (also in every connection's search_path). */
    readonly schema: string,
    /** The URL with its password redacted, for error messages. */
    readonly displayUrl: string,
  ) {}

  all<R>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return queryRows<R>(this.pool, sql, params, this.displayUrl);
  }

  run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return queryCount(this.pool, sql, params, this.displayUrl);
  }

  async writeTransaction<T>(lock: string, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw mapPostgresError(e, this.displayUrl);
    }
    const tx: SqlExecutor = {
      all: <R>(sql: string, params: readonly unknown[] = []) => queryRows<R>(client, sql, params, this.displayUrl),
      run: (sql: string, params: readonly unknown[] = []) => queryCount(client, sql, params, this.displayUrl),
    };
    let broken = false;
    try {
      await tx.run('BEGIN');
      await tx.all('SELECT pg_advisory_xact_lock(hashtext(?))', [`shipgate:${this.schema}:${lock}`]);
      const result = await fn(tx);
      await tx.run('COMMIT');
      return result;
    } catch (e) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true; // the connection is gone: do not hand it back to the pool
      }
      throw e;
    } finally {
      client.release(broken);
    }
  }

  /** Idempotent: a store may be closed by its owner and again by `await using`. */
  close(): Promise<void> {
    this.closing ??= this.pool.end();
    return this.closing;
  }

  private closing: Promise<void> | undefined;
}

type Queryable = Pick<pg.Pool, 'query'>;

async function queryRows<R>(db: Queryable, sql: string, params: readonly unknown[], url: string): Promise<R[]> {
  try {
    return (await db.query(toPositional(sql), [...params])).rows as R[];
  } catch (e) {
    throw mapPostgresError(e, url);
  }
}

async function queryCount(db: Queryable, sql: string, params: readonly unknown[], url: string): Promise<number> {
  try {
    return (await db.query(toPositional(sql), [...params])).rowCount ?? 0;
  } catch (e) {
    throw mapPostgresError(e, url);
  }
}

/** `?` → `$1, $2, …`. The repository's SQL never has `?` inside a literal. */
export function toPositional(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
