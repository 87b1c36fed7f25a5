import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import mysql from 'mysql2/promise';

/**
 * Probes for the data tests. When something is missing the test skips with a one-line reason —
 * unless CI is set, where the probe itself fails so CI skips nothing.
 */
export const PG_URL = process.env.SHIPGATE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const MYSQL_URL = process.env.SHIPGATE_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql';

async function probe(what: string, fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (e) {
    const msg = `data tests: ${what} unavailable (${(e as Error).message.split('\n')[0]})`;
    if (process.env.CI) throw new Error(`${msg} — CI must not skip`);
    console.warn(`SKIP ${msg}`);
    return false;
  }
}

export const postgresAvailable = (): Promise<boolean> =>
  probe('PostgreSQL at 127.0.0.1:5432 with pg_dump/pg_restore', async () => {
    const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
    await c.connect();
    await c.end();
    await execa('pg_dump', ['--version']);
    await execa('pg_restore', ['--version']);
  });

export const mysqlAvailable = (): Promise<boolean> =>
  probe('MariaDB/MySQL at 127.0.0.1:3306 with mysqldump', async () => {
    const c = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 2000 });
    await c.end();
    await execa('sh', ['-c', 'command -v mariadb-dump || command -v mysqldump']);
  });

/** Can we mount a small tmpfs (root in a sandbox that permits mounts)? Used for the disk-full test. */
export const tmpfsMountable = (): Promise<boolean> =>
  probe('mounting a tmpfs (needs root and mount permission) for the disk-full test', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sg-mnt-probe-'));
    try {
      await execa('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
      await execa('umount', [dir]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
