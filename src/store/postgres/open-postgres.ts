import pg from 'pg';
import { UserError } from '../../core/errors.js';
import { redactUrl, stateTooNew } from '../store-errors.js';
import { PostgresDialect } from './postgres-dialect.js';
import { mapPostgresError } from './postgres-errors.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';

export interface OpenPostgresOptions {
  /** `postgres://user:pass@host:port/db?schema=NAME`; `schema` defaults to `shipgate`. */
  readonly databaseUrl: string;
  /** How long to wait for a connection. Default: 5000 ms. */
  readonly connectTimeoutMs?: number;
  /** Pool size. Default: 4. */
  readonly maxConnections?: number;
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Connects, creates the schema if needed and applies pending migrations — all under an advisory
 * lock, so two processes starting together migrate once.
 */
export async function openPostgres(opts: OpenPostgresOptions): Promise<PostgresDialect> {
  const displayUrl = redactUrl(opts.databaseUrl);
  const { connectionString, schema } = splitSchema(opts.databaseUrl, displayUrl);
  const pool = new pg.Pool({
    connectionString,
    max: opts.maxConnections ?? 4,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
    // Every connection resolves the repository's bare table names in our schema.
    options: `-c search_path=${schema}`,
  });
  // An idle client that loses its connection emits 'error'; without a listener that would crash
  // the process. The next query reports the failure instead.
  pool.on('error', () => undefined);
  const dialect = new PostgresDialect(pool, schema, displayUrl);
  try {
    await migrate(pool, schema, displayUrl);
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw mapPostgresError(e, displayUrl);
  }
  return dialect;
}

async function migrate(pool: pg.Pool, schema: string, displayUrl: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`shipgate:${schema}:migrate`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const rows = (await client.query<{ version: number }>('SELECT version FROM schema_version')).rows;
    const from = rows[0]?.version ?? 0;
    if (from > POSTGRES_MIGRATIONS.length) throw stateTooNew(`${displayUrl} (schema ${schema})`, from, POSTGRES_MIGRATIONS.length);
    for (let v = from; v < POSTGRES_MIGRATIONS.length; v++) await client.query(POSTGRES_MIGRATIONS[v]!);
    if (rows.length === 0) await client.query('INSERT INTO schema_version (version) VALUES ($1)', [POSTGRES_MIGRATIONS.length]);
    else await client.query('UPDATE schema_version SET version = $1', [POSTGRES_MIGRATIONS.length]);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

function splitSchema(url: string, displayUrl: string): { connectionString: string; schema: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError('SG_STATE_URL', `SHIPGATE_DATABASE_URL is not a URL: ${displayUrl}`, 'write it like postgres://user@host:5432/db?schema=shipgate');
  }
  const schema = u.searchParams.get('schema') ?? 'shipgate';
  if (!IDENT.test(schema)) {
    throw new UserError('SG_STATE_URL', `schema "${schema}" in ${displayUrl} is not a plain lower-case identifier`, 'use ?schema=shipgate (letters, digits, _)');
  }
  u.searchParams.delete('schema');
  return { connectionString: u.toString(), schema };
}
