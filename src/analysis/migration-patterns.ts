import { makeFinding } from './judge.js';
import { normalizeName, type Op } from './ops.js';
import type { StatementOps } from './sql/statement-ops.js';
import type { Finding, StatementResult } from './types.js';

/**
 * Tables rebuilt in the SQLite way within one migration: a new table is created, the old one
 * dropped, and the new one renamed to the old name (Prisma's "RedefineTables", Alembic batch
 * mode, hand-written SQLite). Returns the normalised names of the rebuilt tables.
 */
export function findTableRebuilds(opsPerStatement: readonly (readonly Op[])[]): Set<string> {
  const created = new Set<string>();
  const dropped = new Set<string>();
  const rebuilt = new Set<string>();
  for (const ops of opsPerStatement) for (const op of ops) {
    if (op.op === 'create-table') created.add(normalizeName(op.table));
    if (op.op === 'drop-table') dropped.add(normalizeName(op.table));
    if (op.op === 'rename-table' && created.has(normalizeName(op.table)) && dropped.has(normalizeName(op.to))) rebuilt.add(normalizeName(op.to));
  }
  return rebuilt;
}

/**
 * Suspected renames: on one existing table, a column dropped and another added in the same
 * migration (Alembic autogenerate and Prisma both emit renames this way, losing the data).
 */
export function findSuspectedRenames(file: string, results: readonly StatementResult[], stmts: readonly StatementOps[], created: ReadonlySet<string>): Finding[] {
  const drops = new Map<string, { column: string; at: StatementResult }[]>();
  const adds = new Map<string, { column: string; at: StatementResult }[]>();
  stmts.forEach((s, i) => {
    for (const op of s.ops) {
      if (op.op !== 'drop-column' && op.op !== 'add-column') continue;
      const t = normalizeName(op.table);
      if (created.has(t)) continue;
      const map = op.op === 'drop-column' ? drops : adds;
      map.set(t, [...(map.get(t) ?? []), { column: op.column, at: results[i]! }]);
    }
  });
  const out: Finding[] = [];
  for (const [t, dropped] of drops) {
    const added = adds.get(t);
    if (!added) continue;
    const a = added[0]!;
    const d = dropped[0]!;
    out.push(makeFinding('suspected-rename', { file, line: a.at.line, col: a.at.col }, `${t}: column ${d.column} dropped and ${a.column} added in the same migration — a rename would lose the data`, a.at.guarded ? { guarded: true, condition: a.at.condition ?? '' } : {}));
  }
  return out;
}
