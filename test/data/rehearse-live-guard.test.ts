import Database from 'better-sqlite3';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/data-cli.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const runbook = (apply: string): string => `version: 1
name: live guard
environments: { prod: {} }
data:
  database: { kind: sqlite, path: app.db }
migrations:
  tool: alembic
  dir: migrations
  apply: ${JSON.stringify(apply)}
phases: [{ id: p, steps: [{ id: b, uses: backup }] }]
`;

/** The reviewer's repro: app.db with `t(x)`, a verified backup, then a rehearsal. */
async function project(apply: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sg-rehearse-live-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const db = new Database(join(dir, 'app.db'));
  db.exec('create table t(x); insert into t values (1)');
  db.close();
  await writeFile(join(dir, 'shipgate.yml'), runbook(apply));
  const created = await runCli(['backup', 'create', '--env', 'prod', '--json'], dir);
  expect(created.code, created.stderr).toBe(0);
  const { id } = JSON.parse(created.stdout) as { id: string };
  expect((await runCli(['backup', 'verify', id, '--env', 'prod'], dir)).code).toBe(0);
  return dir;
}

const columns = (file: string): string[] => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("select name from pragma_table_info('t')").pluck().all() as string[];
  } finally {
    db.close();
  }
};

describe('rehearse guards the LIVE database', () => {
  it('a migration command that opens app.db itself: rehearsal FAILS naming the live database', async () => {
    const dir = await project("sqlite3 app.db 'alter table t add column y int'");
    const r = await runCli(['rehearse', '--env', 'prod', '--json'], dir);
    // The command did migrate production (shipgate cannot undo that) — but it must say so.
    expect(columns(join(dir, 'app.db'))).toEqual(['x', 'y']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { passed: boolean; checks: Array<{ name: string; passed: boolean; measured: string }> };
    expect(report.passed).toBe(false);
    const live = report.checks.find((c) => c.name === 'live-database-untouched')!;
    expect(live.passed).toBe(false);
    expect(live.measured).toContain(`the rehearsal changed the LIVE database at ${join(dir, 'app.db')}`);
    expect(live.measured).toContain('does not use $SHIPGATE_REHEARSAL_DATABASE_PATH');
    const unchanged = report.checks.find((c) => c.name === 'scratch-schema-changed')!;
    expect(unchanged.passed).toBe(false);
    expect(unchanged.measured).toContain('the scratch schema did not change');
  });

  it('a data-only write to the live database (no DDL) also fails', async () => {
    const dir = await project("sqlite3 app.db 'insert into t values (2)'");
    const r = await runCli(['rehearse', '--env', 'prod', '--allow-unchanged-schema'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ live-database-untouched +the LIVE database at \S+app\.db was written during the rehearsal/);
  });

  it('a command that uses the scratch copy passes; an unchanged scratch schema fails unless allowed', async () => {
    const dir = await project('sqlite3 "$SHIPGATE_REHEARSAL_DATABASE_PATH" "alter table t add column y int"');
    const ok = await runCli(['rehearse', '--env', 'prod'], dir);
    expect(ok.stdout).toMatch(/✓ live-database-untouched +live database unchanged/);
    expect(ok.stdout).toMatch(/✓ scratch-schema-changed +schema changed/);
    expect(ok.code).toBe(0);
    expect(columns(join(dir, 'app.db'))).toEqual(['x']);

    await writeFile(join(dir, 'shipgate.yml'), runbook('true'));
    const noop = await runCli(['rehearse', '--env', 'prod'], dir);
    expect(noop.code).toBe(1);
    expect(noop.stdout).toMatch(/✗ scratch-schema-changed +the scratch schema did not change: either no migration is pending/);
    // The switch is spelt differently on the command line and in a `uses: rehearse` step: both named.
    expect(noop.stdout).toContain('`shipgate rehearse --allow-unchanged-schema` on the command line, or `with: { allow-unchanged-schema: true }` on a `uses: rehearse` step');
    expect((await runCli(['rehearse', '--env', 'prod', '--allow-unchanged-schema'], dir)).code).toBe(0);
  });
});
