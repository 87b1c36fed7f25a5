import { openDatabase } from '../../../core/sqlite-driver.js';
import type { MigrationDb } from './migration-db.js';

export async function openSqlite(file: string): Promise<MigrationDb> {
  // readonly + fileMustExist: reading status must never create an empty database.
  const db = openDatabase(file, { readonly: true, fileMustExist: true });
  return {
    kind: 'sqlite',
    async selectRows(sql) {
      try {
        return db.prepare(sql).all() as Record<string, unknown>[];
      } catch (e) {
        if (/no such table/i.test((e as Error).message)) return null;
        throw e;
      }
    },
    close: async () => void db.close(),
  };
}
