import type { MigrationTool } from '../../analysis/types.js';
import type { MigrationDb } from './db/migration-db.js';

/** What the tool's bookkeeping table says about one migration id. */
export interface BookkeepingRow {
  readonly id: string;
  readonly state: 'applied' | 'failed' | 'rolled-back';
}

export interface Bookkeeping {
  /** The table read: `_prisma_migrations`, `alembic_version`, `shipgate_migrations`. */
  readonly table: string;
  /** False when the table does not exist (nothing applied yet, or the wrong database). */
  readonly present: boolean;
  readonly rows: readonly BookkeepingRow[];
}

/** The bookkeeping table each tool keeps. The `sql` tool's is shipgate's own convention. */
export const BOOKKEEPING_TABLE: Readonly<Record<MigrationTool, string>> = {
  prisma: '_prisma_migrations',
  alembic: 'alembic_version',
  sql: 'shipgate_migrations',
};

/** Read the tool's bookkeeping rows. */
export async function readBookkeeping(db: MigrationDb, tool: MigrationTool): Promise<Bookkeeping> {
  const table = BOOKKEEPING_TABLE[tool];
  switch (tool) {
    case 'prisma': {
      const rows = await db.selectRows('SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at');
      return {
        table, present: rows !== null,
        rows: (rows ?? []).map((r) => ({
          id: String(r.migration_name),
          // Prisma: a row without finished_at is a failed (or running) migration; rolled_back_at marks one resolved as rolled back.
          state: r.rolled_back_at != null ? 'rolled-back' : r.finished_at == null ? 'failed' : 'applied',
        })),
      };
    }
    case 'alembic': {
      const rows = await db.selectRows('SELECT version_num FROM alembic_version');
      return { table, present: rows !== null, rows: (rows ?? []).map((r) => ({ id: String(r.version_num), state: 'applied' })) };
    }
    case 'sql': {
      const rows = await db.selectRows('SELECT id FROM shipgate_migrations ORDER BY id');
      return { table, present: rows !== null, rows: (rows ?? []).map((r) => ({ id: String(r.id), state: 'applied' })) };
    }
  }
}
