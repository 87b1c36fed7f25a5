import { symlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { findMigrationFiles, lintMigrations, loadMigrationSources } from '../../src/analysis/index.js';
import { UserError } from '../../src/core/errors.js';
import { FIXTURES, getAnalyzer } from './fixture-helpers.js';
import { tempProject } from './runbook-helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).reverse().forEach((c) => c()));
function temp(): ReturnType<typeof tempProject> {
  const p = tempProject();
  cleanups.push(p.cleanup);
  return p;
}

/** The UserError a promise rejects with (fails the test when it resolves or throws anything else). */
async function userError(p: Promise<unknown>): Promise<UserError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(UserError);
  return e as UserError;
}

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

describe('paths that cannot be read are user errors naming the path', () => {
  it('a missing folder: SG_MIGRATIONS_PATH_MISSING, relative to cwd, with where it came from and the next command', async () => {
    const p = temp();
    const e = await userError(loadMigrationSources({ cwd: p.dir, paths: ['prisma/migrations'], tool: 'prisma', origin: 'migrations.dir in shipgate.yml' }));
    expect(e.code).toBe('SG_MIGRATIONS_PATH_MISSING');
    expect(e.message).toBe('prisma/migrations (migrations.dir in shipgate.yml): no such file or folder');
    expect(e.hint).toBe('mkdir -p prisma/migrations, or set migrations.dir in shipgate.yml to the folder that holds the migrations');
    expect(e.exitCode).toBe(2);
  });

  it('a path through a file (ENOTDIR) is missing too; without an origin the hint lists the parent', async () => {
    const p = temp();
    p.write('migrations/001.sql', 'SELECT 1;\n');
    const e = await userError(findMigrationFiles({ cwd: p.dir, paths: ['migrations/001.sql/x'] }));
    expect(e.code).toBe('SG_MIGRATIONS_PATH_MISSING');
    expect(e.message).toBe('migrations/001.sql/x: no such file or folder');
    expect(e.hint).toBe('ls migrations/001.sql');
  });

  it('an unreadable migration file (a symlink loop: ELOOP) is an error, not a skipped migration', async () => {
    const p = temp();
    p.write('prisma/migrations/20240101000000_init/migration.sql', 'CREATE TABLE t (id int);\n');
    const loop = `${p.dir}/prisma/migrations/20240201000000_loop`;
    p.write('prisma/migrations/20240201000000_loop/.keep', '');
    symlinkSync('migration.sql', `${loop}/migration.sql`);
    const e = await userError(loadMigrationSources({ cwd: p.dir, paths: ['prisma/migrations'], tool: 'prisma', origin: 'migrations.dir in shipgate.yml' }));
    expect(e.code).toBe('SG_MIGRATIONS_PATH_UNREADABLE');
    expect(e.message).toMatch(/^prisma\/migrations\/20240201000000_loop\/migration\.sql: cannot be read: ELOOP/);
    expect(e.hint).toBe('ls -ld prisma/migrations/20240201000000_loop/migration.sql');
  });
});
