import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The local test server (BRIEF: 127.0.0.1:5432, user postgres, trust auth). */
export const PG_ADMIN_URL = process.env.SHIPGATE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let probed: Promise<string | undefined> | undefined;

/** Resolves to undefined when Postgres answers, else to the reason it does not. Probed once. */
export function probePostgres(): Promise<string | undefined> {
  probed ??= (async () => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return undefined;
    } catch (e) {
      return `PostgreSQL not reachable at ${PG_ADMIN_URL}: ${(e as Error).message}`;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return probed;
}

/**
 * Top-level-await helper for test files: true when Postgres tests may run. Locally a missing
 * server skips them with one visible warning; on CI (process.env.CI set) it throws, so CI never
 * silently skips.
 */
export async function postgresAvailable(): Promise<boolean> {
  const reason = await probePostgres();
  if (reason === undefined) return true;
  if (process.env.CI) throw new Error(`${reason} (CI must not skip Postgres tests)`);
  console.warn(`skipping Postgres tests: ${reason}`);
  return false;
}

/** A uniquely named schema for one test; `url` selects it; `drop()` removes it and everything in it. */
export interface TestSchema {
  readonly schema: string;
  readonly url: string;
  drop(): Promise<void>;
}

export function createTestSchema(prefix = 'sg_test'): TestSchema {
  const schema = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const u = new URL(PG_ADMIN_URL);
  u.searchParams.set('schema', schema);
  return {
    schema,
    url: u.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: PG_ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Runs SQL against the test server as the admin (for tests that tamper with rows directly). */
export async function adminQuery(sql: string, params: unknown[] = [], searchPath?: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, ...(searchPath ? { options: `-c search_path=${searchPath}` } : {}) });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}
