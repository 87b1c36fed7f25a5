import mysql from 'mysql2/promise';
import type { MigrationDb } from './migration-db.js';

export async function openMysql(url: string): Promise<MigrationDb> {
  const conn = await mysql.createConnection({ uri: url, connectTimeout: 5000 });
  return {
    kind: 'mysql',
    async selectRows(sql) {
      try {
        const [rows] = await conn.query(sql);
        return rows as Record<string, unknown>[];
      } catch (e) {
        if ((e as { code?: string }).code === 'ER_NO_SUCH_TABLE') return null;
        throw e;
      }
    },
    close: () => conn.end(),
  };
}
