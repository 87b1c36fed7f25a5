import type { MigrationTool } from '../../analysis/types.js';
import type { Bookkeeping } from './bookkeeping.js';

/** A migration on disk, as status needs it. */
export interface DiskMigration {
  readonly id: string;
  readonly file: string;
  /** Alembic: the parent revision(s) as written (`"abc"`, or a tuple for merges). */
  readonly downRevision?: string | null;
}

/** Applied vs pending, by comparing files on disk with the tool's bookkeeping. */
export interface MigrationStatus {
  readonly table: string;
  readonly tablePresent: boolean;
  readonly applied: string[];
  /** On disk, not applied: what `apply` would run. */
  readonly pending: string[];
  /** Recorded in the database, no file on disk (deleted, renamed, or another branch's). */
  readonly unknownInDb: string[];
  /** Prisma rows with finished_at null (and not rolled back): a failed migration blocks deploys. */
  readonly failed: string[];
}

/**
 * Compare. Prisma and sql: by id. Alembic records only the head revision(s); every ancestor of
 * a head (following down_revision on disk) is applied.
 */
export function compareStatus(tool: MigrationTool, disk: readonly DiskMigration[], book: Bookkeeping): MigrationStatus {
  const onDisk = new Set(disk.map((d) => d.id));
  const failed = book.rows.filter((r) => r.state === 'failed').map((r) => r.id);
  let appliedIds: Set<string>;
  if (tool === 'alembic') {
    const parents = new Map(disk.map((d) => [d.id, parentIds(d.downRevision)]));
    appliedIds = new Set();
    const stack = book.rows.map((r) => r.id);
    while (stack.length) {
      const id = stack.pop()!;
      if (appliedIds.has(id)) continue;
      appliedIds.add(id);
      stack.push(...(parents.get(id) ?? []));
    }
  } else {
    appliedIds = new Set(book.rows.filter((r) => r.state === 'applied').map((r) => r.id));
  }
  const failedSet = new Set(failed);
  return {
    table: book.table,
    tablePresent: book.present,
    applied: disk.filter((d) => appliedIds.has(d.id)).map((d) => d.id),
    pending: disk.filter((d) => !appliedIds.has(d.id) && !failedSet.has(d.id)).map((d) => d.id),
    unknownInDb: [...new Set(book.rows.map((r) => r.id))].filter((id) => !onDisk.has(id)),
    failed,
  };
}

/** `"abc"` → [abc]; `('a', 'b')` → [a, b]; null → []. */
export function parentIds(down: string | null | undefined): string[] {
  if (!down) return [];
  const quoted = [...down.matchAll(/['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  return quoted.length > 0 ? quoted : [down];
}

/** One line: "3 applied, 1 pending, 0 failed, 0 unknown in db (table _prisma_migrations)". */
export function statusLine(s: MigrationStatus): string {
  if (!s.tablePresent) return `${s.table} does not exist: ${s.pending.length} pending, nothing applied`;
  return `${s.applied.length} applied, ${s.pending.length} pending, ${s.failed.length} failed, ${s.unknownInDb.length} unknown in db (table ${s.table})`;
}
