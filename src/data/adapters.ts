import type { DatabaseAdapter } from './database-adapter.js';
import type { DumpInfo } from './types.js';
import { unreachable } from '../core/unreachable.js';

/** The adapter for a database kind. Loaded lazily so that SQLite users never load pg or mysql2. */
export async function adapterFor(kind: DumpInfo['kind']): Promise<DatabaseAdapter> {
  switch (kind) {
    case 'sqlite':
      return (await import('./sqlite-adapter.js')).sqliteAdapter;
    case 'postgres':
      return (await import('./postgres-adapter.js')).postgresAdapter;
    case 'mysql':
      return (await import('./mysql-adapter.js')).mysqlAdapter;
    default:
      return unreachable(kind);
  }
}
