import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { shipgate, tempProject } from '../support/cli.js';

// migrations/status and migrations/apply through the real engine against a real SQLite file.
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).reverse().forEach((c) => c()));
const sqliteModule = createRequire(import.meta.url).resolve('better-sqlite3');

// A stand-in for a migration tool: applies every .sql file not yet recorded in shipgate_migrations.
const APPLY_SCRIPT = `
const Database = require(${JSON.stringify(sqliteModule)});
const fs = require('node:fs');
const db = new Database('app.db');
db.exec('CREATE TABLE IF NOT EXISTS shipgate_migrations (id TEXT PRIMARY KEY, applied_at TEXT)');
const done = new Set(db.prepare('SELECT id FROM shipgate_migrations').all().map((r) => r.id));
for (const f of fs.readdirSync('migrations').sort()) {
  const id = f.replace(/\\.sql$/, '');
  if (done.has(id)) continue;
  db.exec(fs.readFileSync('migrations/' + f, 'utf8'));
  db.prepare("INSERT INTO shipgate_migrations VALUES (?, datetime('now'))").run(id);
}
`;

function project(apply: string, extraSteps = ''): string {
  const runbook = `version: 1
name: apply
environments:
  prod: {}
data:
  database: { kind: sqlite, path: app.db }
migrations:
  tool: sql
  dir: migrations
  apply: ${JSON.stringify(apply)}
phases:
  - id: release
    steps:
      - id: before
        uses: migrations/status
${extraSteps}      - id: migrate
        uses: migrations/apply
      - id: after
        uses: migrations/status
        with: { fail-on-pending: true }
`;
  const p = tempProject(runbook);
  cleanups.push(p.cleanup);
  mkdirSync(path.join(p.dir, 'migrations'));
  writeFileSync(path.join(p.dir, 'migrations/001_init.sql'), 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n');
  writeFileSync(path.join(p.dir, 'migrations/002_bio.sql'), 'ALTER TABLE users ADD COLUMN bio TEXT;\n');
  writeFileSync(path.join(p.dir, 'apply.cjs'), APPLY_SCRIPT);
  const db = new Database(path.join(p.dir, 'app.db'));
  db.exec("CREATE TABLE shipgate_migrations (id TEXT PRIMARY KEY, applied_at TEXT); CREATE TABLE users (id INTEGER PRIMARY KEY); INSERT INTO shipgate_migrations VALUES ('001_init', 'x');");
  db.close();
  return p.dir;
}

describe('migrations/lint with pending: true', () => {
  it('lints only what the database has not applied yet', async () => {
    const gate = '      - id: gate\n        uses: migrations/lint\n        with: { pending: true }\n';
    const dir = project('node apply.cjs', gate);
    // 001_init (applied) becomes breaking on disk; only 002_bio (pending, additive) is judged.
    writeFileSync(path.join(dir, 'migrations/001_init.sql'), 'CREATE TABLE users (id INTEGER PRIMARY KEY);\nDROP TABLE legacy;\n');
    const r = await shipgate(['run', '--env', 'prod', '--no-prompt'], { cwd: dir });
    expect(r.stdout).toContain('1 migrations: 0 breaking, 0 unknown, 1 additive, 0 none; nothing at or above fail-on=breaking');
    expect(r.exitCode).toBe(0);
  });
});

describe('migrations/apply', () => {
  it('passes on exit 0 with nothing pending afterwards; status before/after is recorded', async () => {
    const dir = project('node apply.cjs');
    const r = await shipgate(['run', '--env', 'prod', '--no-prompt'], { cwd: dir });
    expect(r.stdout).toContain('✓ before passed');
    expect(r.stdout).toContain('1 applied, 1 pending, 0 failed, 0 unknown in db (table shipgate_migrations)');
    expect(r.stdout).toMatch(/✓ migrate passed .*applied 1 in \d+ ms/);
    expect(r.stdout).toContain('2 applied, 0 pending, 0 failed, 0 unknown in db');
    expect(r.exitCode).toBe(0);
  });

  it('fails when the command exits 0 but migrations are still pending', async () => {
    const dir = project('true');
    const r = await shipgate(['run', '--env', 'prod', '--no-prompt'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('✗ migrate failed');
    expect(r.stdout).toContain('`true` exited 0 but 1 applied, 1 pending');
    expect(r.stdout).toContain('✗ nothing-pending-after: expected 0 pending, 0 failed, measured 1 pending (002_bio), 0 failed');
  });

  it('fails on a non-zero exit code', async () => {
    const dir = project('exit 3');
    const r = await shipgate(['run', '--env', 'prod', '--no-prompt'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('`exit 3` exited 3');
  });
});
