import pg from 'pg';
import type { MigrationDb } from './migration-db.js';

export async function openPg(url: string): Promise<MigrationDb> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  return {
    kind: 'postgres',
    async selectRows(sql) {
      try {
        return (await client.query(sql)).rows as Record<string, unknown>[];
      } catch (e) {
        if ((e as { code?: string }).code === '42P01') return null; // undefined_table
        throw e;
      }
    },
    close: () => client.end(),
  };
}
