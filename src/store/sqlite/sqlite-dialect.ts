import type BetterSqlite3 from 'better-sqlite3';
import type { Dialect, SqlExecutor } from '../dialect.js';
import { Mutex } from '../mutex.js';
import { mapSqliteError } from './sqlite-errors.js';

type Db = BetterSqlite3.Database;

/**
 * SQLite through better-sqlite3 (synchronous, one connection). Every operation is serialised by
 * an in-process mutex so an awaiting transaction callback never interleaves with another caller;
 * across processes, `BEGIN IMMEDIATE` takes SQLite's single write lock, waiting up to
 * `busy_timeout` for it.
 */
export class SqliteDialect implements Dialect {
  readonly name = 'sqlite' as const;
  private readonly mutex = new Mutex();
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  private closed = false;

  constructor(
    private readonly db: Db,
    /** The database file, for error messages. */
    readonly file: string,
    private readonly busyTimeoutMs: number,
  ) {}

  all<R>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return this.mutex.run(() => this.guard(() => this.allNow<R>(sql, params)));
  }

  run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return this.mutex.run(() => this.guard(() => this.runNow(sql, params)));
  }

  writeTransaction<T>(_lock: string, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    // SQLite has one writer per file, so every named lock maps to the same BEGIN IMMEDIATE.
    return this.mutex.run(async () => {
      this.guard(() => this.db.exec('BEGIN IMMEDIATE'));
      const tx: SqlExecutor = {
        all: async <R>(sql: string, params: readonly unknown[] = []) => this.guard(() => this.allNow<R>(sql, params)),
        run: async (sql: string, params: readonly unknown[] = []) => this.guard(() => this.runNow(sql, params)),
      };
      try {
        const result = await fn(tx);
        this.guard(() => this.db.exec('COMMIT'));
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
    });
  }

  async close(): Promise<void> {
    await this.mutex.run(() => {
      if (this.closed) return;
      this.closed = true;
      this.statements.clear();
      this.db.close();
    });
  }

  private allNow<R>(sql: string, params: readonly unknown[]): R[] {
    return this.prepare(sql).all(...toSqlite(params)) as R[];
  }

  private runNow(sql: string, params: readonly unknown[]): number {
    return this.prepare(sql).run(...toSqlite(params)).changes;
  }

  private prepare(sql: string): BetterSqlite3.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw mapSqliteError(e, this.file, this.busyTimeoutMs);
    }
  }
}

/** better-sqlite3 refuses `undefined`; the repository means NULL by it. */
function toSqlite(params: readonly unknown[]): unknown[] {
  return params.map((p) => (p === undefined ? null : p));
}
