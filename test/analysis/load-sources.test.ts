import { describe, expect, it } from 'vitest';
import { findMigrationFiles, lintMigrations, loadMigrationSources } from '../../src/analysis/index.js';
import { FIXTURES, getAnalyzer } from './fixture-helpers.js';

describe('finding migration files', () => {
  it('prisma: <dir>/<timestamp>_<name>/migration.sql ordered by folder name, id = folder', async () => {
    const files = await findMigrationFiles({ cwd: FIXTURES, paths: ['prisma'] });
    expect(files.map((f) => [f.id, f.tool])).toEqual([
      ['20240101000000_init', 'prisma'],
      ['20240201000000_add_bio', 'prisma'],
      ['20240301000000_drop_nickname', 'prisma'],
    ]);
    expect(files[0]!.file).toBe('prisma/20240101000000_init/migration.sql');
  });

  it('alembic: inferred from .py files, ordered by the down_revision chain, ids from the file', async () => {
    const report = lintMigrations(await getAnalyzer(), await loadMigrationSources({ cwd: FIXTURES, paths: ['alembic'], dialect: 'sqlite' }));
    expect(report.migrations.map((m) => m.id)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'helpers']);
  });

  it('sql: *.sql in name order; a file path is taken as given', async () => {
    const files = await findMigrationFiles({ cwd: FIXTURES, paths: ['mysql', 'postgres/drop-table.sql'] });
    expect(files.map((f) => f.id)).toEqual(['additive', 'breaking', 'drop-table']);
  });
});
