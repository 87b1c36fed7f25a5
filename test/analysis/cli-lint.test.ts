import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { shipgate, tempProject } from '../support/cli.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).reverse().forEach((c) => c()));
function project(files: Record<string, string>, runbook = 'version: 1\nname: x\nenvironments: { prod: {} }\nmigrations: { tool: sql, dir: migrations, dialect: sqlite }\nphases: [{ id: p, steps: [{ id: s, run: "true" }] }]\n'): string {
  const p = tempProject(runbook);
  cleanups.push(p.cleanup);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(p.dir, rel)), { recursive: true });
    writeFileSync(path.join(p.dir, rel), text);
  }
  return p.dir;
}

describe('shipgate migrations status', () => {
  it('prints applied/pending from the runbook database; --json gives the object', async () => {
    const runbook = 'version: 1\nname: x\nenvironments: { prod: {} }\ndata: { database: { kind: sqlite, path: app.db } }\nmigrations: { tool: sql, dir: migrations, dialect: sqlite }\nphases: [{ id: p, steps: [{ id: s, run: "true" }] }]\n';
    const dir = project({ 'migrations/001_init.sql': 'CREATE TABLE t (id INTEGER);\n', 'migrations/002_more.sql': 'ALTER TABLE t ADD COLUMN a TEXT;\n' }, runbook);
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(path.join(dir, 'app.db'));
    db.exec("CREATE TABLE shipgate_migrations (id TEXT PRIMARY KEY); INSERT INTO shipgate_migrations VALUES ('001_init');");
    db.close();
    const r = await shipgate(['migrations', 'status'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('1 applied, 1 pending, 0 failed, 0 unknown in db (table shipgate_migrations)\n  pending        002_more');
    const j = await shipgate(['migrations', 'status', '--json'], { cwd: dir });
    expect(JSON.parse(j.stdout)).toMatchObject({ applied: ['001_init'], pending: ['002_more'] });
  });

  it('no database configured: invalid input with the fix', async () => {
    const dir = project({ 'migrations/001_init.sql': 'CREATE TABLE t (id INTEGER);\n' });
    const r = await shipgate(['migrations', 'status'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error SG_MIGRATIONS_NO_DATABASE');
    expect(r.stderr).toContain('→ add data.database { kind, url | path } to the runbook, or pass --database-url');
  });
});

describe('shipgate migrations lint', () => {
  it('reads the runbook, prints gcc-style lines and the table, exits 1 on breaking', async () => {
    const dir = project({ 'migrations/001_init.sql': 'CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);\n', 'migrations/002_drop.sql': 'ALTER TABLE t DROP COLUMN a;\n' });
    const r = await shipgate(['migrations', 'lint'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('migrations/002_drop.sql:1:1: error: drops column t.a [drop-column, compatibility, breaking]');
    expect(r.stdout).toMatch(/^001_init\s+additive/m);
    expect(r.stdout).toContain('2 migrations: 1 breaking, 0 unknown, 1 additive, 0 none');
    const never = await shipgate(['migrations', 'lint', '--fail-on', 'never', '--format', 'json'], { cwd: dir });
    expect(never.exitCode).toBe(0);
    expect(JSON.parse(never.stdout).class).toBe('breaking');
  });

  it('--since REF lints only migrations added or changed since the ref (incl. untracked)', async () => {
    const dir = project({ 'migrations/001_init.sql': 'CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);\n', 'migrations/002_drop.sql': 'ALTER TABLE t DROP COLUMN a;\n' });
    const git = (...a: string[]) => execa('git', a, { cwd: dir, env: { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
    await git('init', '-q');
    await git('add', '-A');
    await git('commit', '-qm', 'base');
    writeFileSync(path.join(dir, 'migrations/003_add.sql'), 'ALTER TABLE t ADD COLUMN b TEXT;\n');
    const r = await shipgate(['migrations', 'lint', '--since', 'HEAD', '--format', 'json'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).migrations.map((m: { id: string }) => m.id)).toEqual(['003_add']);
    const bad = await shipgate(['migrations', 'lint', '--since', 'no-such-ref'], { cwd: dir });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('error SG_MIGRATIONS_BAD_REF: --since no-such-ref: git diff failed');
  });

  it('explicit paths without a runbook; the tool is inferred; missing path is invalid input', async () => {
    const dir = project({ 'versions/a1.py': 'from alembic import op\nrevision = "a1"\ndown_revision = None\ndef upgrade():\n    op.drop_table("x")\n' }, 'version: 1\n');
    const r = await shipgate(['migrations', 'lint', 'versions', '--format', 'sarif'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout).runs[0].results[0]).toMatchObject({ ruleId: 'drop-table', locations: [{ physicalLocation: { artifactLocation: { uri: 'versions/a1.py' }, region: { startLine: 5, startColumn: 5 } } }] });
    const missing = await shipgate(['migrations', 'lint', 'nope'], { cwd: dir });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('error SG_MIGRATIONS_PATH_MISSING: nope: no such file or folder');
  });

  it('a runbook whose migrations.dir does not exist: invalid input naming the path and the fix, no stack', async () => {
    const runbook = 'version: 1\nname: x\nenvironments: { prod: {} }\nmigrations: { tool: prisma, dir: prisma/migrations }\nphases: [{ id: p, steps: [{ id: s, run: "true" }] }]\n';
    const dir = project({}, runbook);
    const r = await shipgate(['migrations', 'lint'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error SG_MIGRATIONS_PATH_MISSING: prisma/migrations (migrations.dir in shipgate.yml): no such file or folder');
    expect(r.stderr).toContain('→ mkdir -p prisma/migrations, or set migrations.dir in shipgate.yml to the folder that holds the migrations');
    expect(r.stderr).not.toMatch(/ENOENT|\n\s+at /);
    // From another folder, the path is still shown relative to the runbook.
    mkdirSync(path.join(dir, 'sub'));
    const other = await shipgate(['migrations', 'lint', '--runbook', '../shipgate.yml'], { cwd: path.join(dir, 'sub') });
    expect(other.exitCode).toBe(2);
    expect(other.stderr).toContain('error SG_MIGRATIONS_PATH_MISSING: prisma/migrations (migrations.dir in shipgate.yml)');
  });

  it('--help describes every flag', async () => {
    const r = await shipgate(['migrations', 'lint', '--help'], { cwd: process.cwd() });
    for (const flag of ['--runbook', '--tool', '--dialect', '--since', '--format', '--fail-on', '--max-bytes']) expect(r.stdout).toContain(flag);
    expect(r.stdout).toContain('Exit codes: 0 nothing at or above --fail-on');
  });
});
