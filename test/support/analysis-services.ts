import mysql from 'mysql2/promise';
import { postgresAvailable, PG_ADMIN_URL } from './postgres.js';

export { postgresAvailable, PG_ADMIN_URL };

/** The local MariaDB (BRIEF: 127.0.0.1:3306, root, no password). */
export const MYSQL_ADMIN_URL = process.env.SHIPGATE_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

/**
 * True when MariaDB answers. Locally a missing server skips with one visible warning; on CI
 * (process.env.CI) it throws so nothing is skipped silently.
 */
export async function mysqlAvailable(): Promise<boolean> {
  try {
    const c = await mysql.createConnection({ uri: MYSQL_ADMIN_URL, connectTimeout: 2000 });
    await c.query('SELECT 1');
    await c.end();
    return true;
  } catch (e) {
    const reason = `MariaDB/MySQL not reachable at ${MYSQL_ADMIN_URL}: ${(e as Error).message}`;
    if (process.env.CI) throw new Error(`${reason} (CI must not skip MySQL tests)`);
    console.warn(`skipping MySQL tests: ${reason}`);
    return false;
  }
}
