import type { Analyzer, MigrationSource } from './analyze-migration.js';
import { worseClass, type LintReport, type MigrationClass, type MigrationResult } from './types.js';

/** Analyse every source, in the order given, and summarise. Pure once the analyzer is loaded. */
export function lintMigrations(analyzer: Analyzer, sources: readonly MigrationSource[]): LintReport {
  const migrations = orderAlembic(sources.map((s) => analyzer.analyzeMigration(s)));
  return summarize(migrations);
}

export function summarize(migrations: readonly MigrationResult[]): LintReport {
  const counts: Record<MigrationClass, number> = { none: 0, additive: 0, breaking: 0, unknown: 0 };
  let cls: MigrationClass = 'none';
  for (const m of migrations) {
    counts[m.class]++;
    cls = worseClass(cls, m.class);
  }
  return { migrations, class: cls, counts };
}

/**
 * Alembic revisions are ordered by their down_revision chain, not by file name. Revisions off
 * the chain (branches, broken links) keep their file order after the chain.
 */
function orderAlembic(ms: MigrationResult[]): MigrationResult[] {
  const alembic = ms.filter((m) => m.tool === 'alembic' && m.downRevision !== undefined);
  if (alembic.length < 2) return ms;
  const byDown = new Map<string, MigrationResult[]>();
  for (const m of alembic) {
    const k = m.downRevision ?? '';
    byDown.set(k, [...(byDown.get(k) ?? []), m]);
  }
  const ids = new Set(alembic.map((m) => m.id));
  const ordered: MigrationResult[] = [];
  const seen = new Set<MigrationResult>();
  const queue = alembic.filter((m) => !m.downRevision || !ids.has(m.downRevision));
  while (queue.length) {
    const m = queue.shift()!;
    if (seen.has(m)) continue;
    seen.add(m);
    ordered.push(m);
    queue.push(...(byDown.get(m.id) ?? []));
  }
  const rest = ms.filter((m) => !seen.has(m));
  return [...ordered, ...rest];
}
