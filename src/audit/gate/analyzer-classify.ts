import { existsSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { resolveMigrations } from '../../actions/migrations/config.js';
import { lintConfigured } from '../../actions/migrations/service.js';
import type { MigrationClass } from '../../analysis/types.js';
import type { MigrationClassInput } from '../../release/suggest-version.js';
import type { LoadedRunbook } from '../../runbook/loaded-runbook.js';
import type { ClassifyMigrations } from './migration-conditions.js';

/** The analyzer's classes in the gate's and the version suggestion's terms. */
export function toClassInput(c: MigrationClass): MigrationClassInput['class'] {
  switch (c) {
    case 'none':
      return 'none';
    case 'additive':
      return 'backward-compatible';
    case 'breaking':
      return 'breaking';
    case 'unknown':
      return 'unknown';
  }
}

/**
 * The gate's classifier seam wired to the migration analyzer (src/analysis, via the
 * migrations actions' lintConfigured): classifies the changed migration files that still exist
 * (a deleted migration has nothing to classify; the plan conditions still apply).
 */
export function analyzerClassifier(loaded: LoadedRunbook): ClassifyMigrations {
  return async (files, repoTop) => {
    const cfg = resolveMigrations(loaded);
    const paths = files
      .map((f) => resolve(repoTop, f))
      .filter((abs) => existsSync(abs))
      .map((abs) => relative(cfg.base, abs).split(sep).join('/'));
    if (!paths.length) return [];
    const report = await lintConfigured(cfg, { paths });
    return report.migrations.map((m) => ({ migration: m.file, class: toClassInput(m.class) }));
  };
}
