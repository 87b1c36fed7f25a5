import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { missing } from '../support/audit-services.js';
import { runCli } from '../support/cli-run.js';
import { commitAll, gitIn, initRepo, makeTempDir } from '../support/temp-dir.js';

// The merge gate's "Secrets not exposed" row in a runbook that declares secrets but has no
// `secrets/check` step (the first-time user's report: the gate passed with a secret committed).

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const VALUE = 'Zq8vR2kL9wX4mN7pT1bY6cH3dF5-gate-canary';
const RUNBOOK = `version: 1
name: gate secrets
environments:
  production:
    dotenv: config/secrets.env
    secrets: [SECRET_KEY, { name: SENTRY_DSN, required: false }]
phases:
  - id: release
    steps:
      - { id: hello, run: echo hello }
`;

function write(dir: string, files: Record<string, string>): void {
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
}

/**
 * A repo on `base` plus one PR commit, every other gate row met: a ticked PR body and a live
 * ledger (in the git-ignored .shipgate/) holding a fresh, passed backup verification.
 */
async function repo(files: Record<string, string>): Promise<string> {
  const t = makeTempDir();
  cleanups.push(t.cleanup);
  initRepo(t.dir);
  write(t.dir, { 'shipgate.yml': RUNBOOK, '.gitignore': '.shipgate/\npr.md\n', 'src/app.ts': 'export const x = 1;\n' });
  commitAll(t.dir, 'chore: base');
  gitIn(t.dir, 'branch', 'base');
  write(t.dir, files);
  commitAll(t.dir, 'feat: the PR');
  write(t.dir, { 'pr.md': '- [x] tests pass\n' });
  const store = await openStore({ stateDir: join(t.dir, '.shipgate') });
  await store.appendLedger({ at: new Date().toISOString(), run: null, step: null, kind: 'backup-verified', actor: { id: 'ops@example.com', via: 'asserted-env' }, data: { id: 'b-1', environment: 'production', passed: true } });
  await store.close();
  return t.dir;
}

const gate = (dir: string, env: Record<string, string> = {}, extra: string[] = []) => runCli(['gate', '--pr-body', 'pr.md', '--base', 'base', '--json', ...extra], { cwd: dir, env: { PATH: process.env.PATH, ...env } });
const secretsRow = (stdout: string) => (JSON.parse(stdout) as { conditions: Array<{ id: string; status: string; measured: string; how?: string; annotations?: unknown[] }> }).conditions.find((c) => c.id === 'secrets')!;

describe.skipIf(missing('git'))('merge gate: declared secrets without a secrets/check step', () => {
  it('a declared secret committed in its dotenv file fails the gate (exit 5), as `secrets check` does', async () => {
    const dir = await repo({ 'config/secrets.env': `SECRET_KEY=${VALUE}\n` });
    const r = await gate(dir);
    expect(r.code).toBe(5);
    const row = secretsRow(r.stdout);
    expect(row.status).toBe('unmet');
    expect(row.measured).toContain('exposed-tree SECRET_KEY found at config/secrets.env:1');
    expect(row.measured).toMatch(/exposed-history SECRET_KEY found at config\/secrets\.env:1 in commit [0-9a-f]{12}/);
    expect(row.how).toContain('rotate it');
    expect(r.stderr).toContain('✗ Secrets not exposed: exposed-tree SECRET_KEY found at config/secrets.env:1');
    // The gate agrees with the command the user compared it with.
    const check = await runCli(['secrets', 'check', '--env', 'production', '--no-history'], { cwd: dir, env: { PATH: process.env.PATH } });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('FAIL SECRET_KEY exposed-tree');
    // Names and places only, never the value.
    for (const out of [r.stdout, r.stderr, check.stdout, check.stderr]) expect(out).not.toContain(VALUE);
  });

  it('a value too short to search (a local DB_PASSWORD=postgres) does not fail the gate on every file that says it; it is named as not searched', async () => {
    const dir = await repo({ 'src/db.ts': 'export const driver = "postgres";\n' });
    write(dir, { 'config/secrets.env': 'SECRET_KEY=postgres\n' }); // local, not committed
    const r = await gate(dir);
    const row = secretsRow(r.stdout);
    expect(row.status, row.measured).toBe('met');
    expect(row.measured).toContain('not searched, shorter than 10 characters: SECRET_KEY');
  });

  it('the value is searched in the history too: untracking the file does not make the gate pass', async () => {
    const dir = await repo({ 'config/secrets.env': `SECRET_KEY=${VALUE}\n` });
    gitIn(dir, 'rm', '-q', '--cached', 'config/secrets.env');
    write(dir, { '.gitignore': '.shipgate/\npr.md\nconfig/secrets.env\n' });
    commitAll(dir, 'fix: stop tracking the secrets');
    const r = await gate(dir);
    expect(r.code).toBe(5);
    expect(secretsRow(r.stdout).measured).toMatch(/^exposed-history SECRET_KEY found at config\/secrets\.env:1 in commit/);
    // --no-history searches the working tree only, where the ignored file does not count.
    const tree = await gate(dir, {}, ['--no-history']);
    expect(secretsRow(tree.stdout)).toMatchObject({ status: 'met', measured: expect.stringContaining('values of SECRET_KEY: exposed-tree: none in') });
    expect(tree.code).toBe(0);
  });

  it('an ignored dotenv file is read for the value but not reported; a value from the environment is searched too', async () => {
    const dir = await repo({ '.gitignore': '.shipgate/\npr.md\nconfig/secrets.env\n', 'config/secrets.env': `SECRET_KEY=${VALUE}\n` });
    const r = await gate(dir);
    expect(secretsRow(r.stdout)).toMatchObject({ status: 'met', measured: expect.stringMatching(/^values of SECRET_KEY: exposed-tree: none in \d+ file\(s\); exposed-history: none in .*; no value visible here for SENTRY_DSN \(token shapes only\)$/) });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('gate met\n');
    // SENTRY_DSN has no value in the dotenv file; the gate's environment supplies one, and a
    // committed copy of it is found.
    const dsn = 'https://k3y@o42.ingest.example.io/77-gate-canary';
    write(dir, { 'src/sentry.ts': `export const dsn = '${dsn}';\n` });
    commitAll(dir, 'feat: sentry');
    const env = await gate(dir, { SENTRY_DSN: dsn });
    expect(env.code).toBe(5);
    expect(secretsRow(env.stdout).measured).toContain('exposed-tree SENTRY_DSN found at src/sentry.ts:1');
    expect(env.stdout + env.stderr).not.toContain(dsn);
  });

  it('no declared secrets and no secrets/check step: the row does not apply', async () => {
    const t = makeTempDir();
    cleanups.push(t.cleanup);
    initRepo(t.dir);
    write(t.dir, { 'shipgate.yml': RUNBOOK.replace(/    dotenv:.*\n    secrets:.*\n/, '    vars: { A: "1" }\n'), 'pr.md': '- [x] a\n' });
    commitAll(t.dir, 'base');
    const r = await runCli(['gate', '--pr-body', 'pr.md', '--base', 'HEAD', '--json'], { cwd: t.dir, env: { PATH: process.env.PATH } });
    expect(secretsRow(r.stdout)).toMatchObject({ status: 'not-applicable', measured: 'the runbook declares no secrets and has no secrets/check step' });
  });
});
