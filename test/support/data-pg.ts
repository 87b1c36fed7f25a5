import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PG_URL } from './data-services.js';

/** A uniquely named Postgres database for one test, dropped (with its sessions) by `drop`. */
export async function createPgDatabase(setupSql: string): Promise<{ name: string; url: string; query: (sql: string) => Promise<pg.QueryResult>; drop: () => Promise<void> }> {
  const name = `sg_test_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  const url = u.href;
  const query = async (sql: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await query(setupSql);
  return {
    name,
    url,
    query,
    drop: async () => {
      const a = new pg.Client({ connectionString: PG_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/**
 * Names of scratch databases of `source` left on the server (there must be none after a test).
 * Only that source's: other test files run at the same time and have scratch copies of their own.
 */
export async function scratchDatabases(source: string): Promise<string[]> {
  const a = new pg.Client({ connectionString: PG_URL });
  await a.connect();
  try {
    const rows = (await a.query<{ datname: string }>("select datname from pg_database where datname like 'sg\\_scratch\\_%' or datname like '%\\_sg\\_restore\\_%' or datname like '%\\_sg\\_old\\_%'")).rows;
    return rows.map((r) => r.datname).filter((n) => n.endsWith(`_${source}`) || n.startsWith(`${source}_sg_`));
  } finally {
    await a.end();
  }
}
