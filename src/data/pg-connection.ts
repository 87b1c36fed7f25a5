import { redactUrl } from '../core/redact-url.js';
import pg from 'pg';
import { dataError } from './errors.js';

/** A Postgres target split into what the client tools need, with the password kept out of argv. */
export interface PgTarget {
  readonly database: string;
  /** URL without password, neither in userinfo nor as `?password=` (safe for argv, logs and errors). */
  readonly safeUrl: string;
  /** Full URL for the node client. */
  readonly url: string;
  /** Environment for pg_dump/pg_restore: the caller's env plus PGPASSWORD when the URL has one. */
  readonly toolEnv: Readonly<Record<string, string | undefined>>;
  /** The same server, another database. */
  withDatabase(name: string): PgTarget;
}

export function pgTarget(url: string | undefined, env: Readonly<Record<string, string | undefined>>): PgTarget {
  if (!url) throw dataError('SG_DATA_NO_DB_URL', 'data.database.url is not set for kind postgres', 'add url: ${{ env.DATABASE_URL }} under data.database and export DATABASE_URL');
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw dataError('SG_DATA_BAD_DB_URL', 'data.database.url is not a valid URL', 'write it as postgres://user:password@host:5432/dbname');
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) throw dataError('SG_DATA_BAD_DB_URL', `data.database.url ${redactUrl(url)} names no database`, 'end the URL with /dbname');
  // libpq also reads `?password=` from the query string: it must leave the URL too, or it ends
  // up in pg_dump's argv (visible in `ps`) and in messages.
  const queryPassword = u.searchParams.get('password');
  if (u.searchParams.has('sslpassword')) {
    // libpq has no environment variable for sslpassword: the only ways to hand it over are argv
    // (visible to every local user) or a service file, which the user can point PGSERVICEFILE at.
    throw dataError('SG_DATA_SSLPASSWORD_IN_URL', `data.database.url ${redactUrl(url)} carries sslpassword=, which pg_dump/pg_restore could only receive in their command line (visible to other users); nothing was run`, 'put sslpassword in a pg_service.conf and export PGSERVICEFILE and PGSERVICE, or use a client key without a passphrase (mode 0600)');
  }
  const password = u.password ? decodeURIComponent(u.password) : (queryPassword ?? '');
  const safe = new URL(u.href);
  safe.password = '';
  safe.searchParams.delete('password');
  return {
    database,
    safeUrl: safe.href,
    url: u.href,
    toolEnv: password ? { ...env, PGPASSWORD: password } : env,
    withDatabase(name) {
      const n = new URL(u.href);
      n.pathname = `/${encodeURIComponent(name)}`;
      return pgTarget(n.href, env);
    },
  };
}

export { redactUrl };

/** Connects, turning the usual failures into errors that name the database (never the password). */
export async function connectPg(t: PgTarget): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: t.url, connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
    return c;
  } catch (e) {
    await c.end().catch(() => {});
    const code = (e as { code?: string }).code;
    if (code === '3D000') throw dataError('SG_DATA_DB_MISSING', `Postgres database ${t.database} does not exist (${t.safeUrl})`, 'check data.database.url, or create the database');
    throw dataError('SG_DATA_DB_UNREACHABLE', `cannot connect to Postgres at ${t.safeUrl}: ${(e as Error).message}`, 'check that the server is up and data.database.url is right');
  }
}

export const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;
