import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { classifyNetworkError } from './measure-failure.js';
import { finishResult, item, type CheckEnv, type CheckItem, type CheckResult, type MeasureFailure } from './result.js';

export interface PostgresCheckOptions {
  /** `postgres://user:pass@host:port/db`. The password is never shown. */
  readonly url: string;
  /** Fail when `pg_stat_activity` holds more connections than this. Default: no limit. */
  readonly maxConnections?: number;
  /** Minimum server major version, e.g. 15. Default: none. */
  readonly minVersion?: number;
  /** Connect and each query. Default: 5000 ms. */
  readonly timeoutMs?: number;
}

/** What one visit to the server measured; reused by monitor's postgres probe. */
export interface PostgresMeasurement {
  readonly version: string;
  readonly connections: number;
  readonly ms: number;
}

/** Connects, runs `select 1`, reads the version and counts connections. */
export async function measurePostgres(o: PostgresCheckOptions, signal?: AbortSignal): Promise<{ ok: true; value: PostgresMeasurement } | { ok: false; error: MeasureFailure }> {
  const start = performance.now();
  const timeoutMs = o.timeoutMs ?? 5000;
  const client = new pg.Client({ connectionString: o.url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs, application_name: 'shipgate-check' });
  // A connection error after connect() must not crash the process; it is reported by the query.
  client.on('error', () => {});
  const onAbort = (): void => void client.end().catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await client.connect();
    const one = await client.query<{ one: number }>('select 1 as one');
    if (one.rows[0]?.one !== 1) return { ok: false, error: { reason: 'protocol', message: `select 1 returned ${JSON.stringify(one.rows[0])}` } };
    const v = await client.query<{ server_version: string }>('show server_version');
    const c = await client.query<{ n: string }>('select count(*)::text as n from pg_stat_activity');
    return { ok: true, value: { version: v.rows[0]?.server_version ?? '?', connections: Number(c.rows[0]?.n ?? NaN), ms: performance.now() - start } };
  } catch (e) {
    return { ok: false, error: classifyPgError(e, describePostgres(o.url)) };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await client.end().catch(() => {});
  }
}

/** Checks a Postgres server answers, and optionally its version and connection count. */
export async function checkPostgres(o: PostgresCheckOptions, env: CheckEnv = {}): Promise<CheckResult> {
  const start = performance.now();
  const target = describePostgres(o.url);
  const m = await measurePostgres(o, env.signal);
  if (!m.ok) return finishResult('postgres', target, [item('select 1', false, '1', m.error.message)], performance.now() - start, { cause: m.error });
  const items: CheckItem[] = [item('select 1', true, '1', '1', { ms: Math.round(m.value.ms) })];
  const major = Number.parseInt(m.value.version, 10);
  items.push(item('server version', o.minVersion === undefined || major >= o.minVersion, o.minVersion === undefined ? 'any' : `>= ${o.minVersion}`, m.value.version));
  if (o.maxConnections !== undefined) items.push(item('connections', m.value.connections <= o.maxConnections, `<= ${o.maxConnections}`, String(m.value.connections)));
  return finishResult('postgres', target, items, performance.now() - start);
}

/** `host:port/db` without user or password. */
export function describePostgres(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname || '/'}`;
  } catch {
    return 'postgres (unparseable URL)';
  }
}

function classifyPgError(e: unknown, where: string): MeasureFailure {
  const err = e as { code?: string; message?: string };
  if (err.code === '28P01' || err.code === '28000') return { reason: 'auth', message: `${where}: authentication failed (${err.code})` };
  if (err.code === '3D000') return { reason: 'other', message: `${where}: database does not exist` };
  if (/timeout/i.test(err.message ?? '')) return { reason: 'timeout', message: `${where}: ${err.message}` };
  return classifyNetworkError(e, where);
}
