import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkAuditSteps } from '../../src/audit/gate/audit-conditions.js';
import { checkMigrationConditions } from '../../src/audit/gate/migration-conditions.js';
import { RunbookSchema } from '../../src/runbook/schema.js';
import { missing } from '../support/audit-services.js';
import { runCli } from '../support/cli-run.js';
import { commitAll, gitIn, initRepo, useTempTrees } from '../support/temp-dir.js';

// Silent passes and leaks of the merge gate found by an exploratory review; each test fails on
// the code before the fix.
const dirWith = useTempTrees(afterEach);
/** Every file under `dir`, with its bytes as latin1 text (to look for a value anywhere). */
function allText(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(readFileSync(p, 'latin1'));
    }
  };
  walk(dir);
  return out.join('\n');
}

describe.skipIf(missing('git'))('merge gate: review fixes', () => {
  it('a changed migration whose name has non-ASCII bytes is seen (git quotes such names without -z)', async () => {
    const dir = dirWith({ 'src/a.ts': 'x\n' });
    initRepo(dir);
    commitAll(dir, 'base');
    gitIn(dir, 'branch', 'base');
    mkdirSync(join(dir, 'db/migrations'), { recursive: true });
    writeFileSync(join(dir, 'db/migrations/002_drop_é.sql'), 'ALTER TABLE users DROP COLUMN email;\n');
    commitAll(dir, 'migration');
    const cs = await checkMigrationConditions({ cwd: dir, runbookDir: dir, base: 'base', migrations: { tool: 'sql', dir: 'db/migrations', require: { 'migration-plan': 'docs/plan.md' } } as never });
    expect(cs[0]).toMatchObject({ id: 'migration-plan', status: 'unmet', measured: expect.stringContaining('1 migration(s) changed') });
  });

  it('an audit/grep step that searches no file is not green (as the action and the CLI say)', async () => {
    const dir = dirWith({ '.gitignore': 'build/\n', 'build/out.env': 'DEV_MODE=1\n', 'src/a.ts': 'x\n' });
    initRepo(dir);
    commitAll(dir, 'base');
    const rb = RunbookSchema.parse({ version: 1, name: 'g', environments: { production: {} }, phases: [{ id: 'p', steps: [{ id: 'devleft', uses: 'audit/grep', with: { pattern: 'DEV_', paths: ['build'] } }] }] });
    const c = await checkAuditSteps(rb, dir);
    expect(c).toMatchObject({ status: 'unmet', measured: expect.stringContaining('devleft: no file searched (build') });
  });

  it('audit/env never shows a declared secret, in the gate or in a run, even with quotes in it', async () => {
    const secret = 'a"quoted"Secret\\Val-9';
    const yaml = `version: 1
name: env-secret
environments:
  production:
    secrets: [JWT_SECRET]
phases:
  - id: p
    steps:
      - { id: envcheck, uses: audit/env, with: { file: .env, assert: [{ key: JWT_SECRET, regex: "^[a-z]+$" }] } }
`;
    const dir = dirWith({ 'shipgate.yml': yaml, '.env': `JWT_SECRET=${JSON.stringify(secret)}\n`, '.gitignore': '.env\n.shipgate/\n', 'pr.md': '- [x] ok\n' });
    initRepo(dir);
    commitAll(dir, 'base');
    gitIn(dir, 'branch', 'base');
    const leaks = (text: string) => [secret, JSON.stringify(secret).slice(1, -1)].filter((v) => text.includes(v));
    const gate = await runCli(['gate', '--base', 'base', '--pr-body', 'pr.md', '--no-ledger'], { cwd: dir, env: { PATH: process.env.PATH, GITHUB_ACTIONS: 'true' } });
    expect(gate.stderr + gate.stdout).toContain('envcheck: 1 assertion(s) failed');
    expect(leaks(gate.stdout + gate.stderr)).toEqual([]);
    const run = await runCli(['run', '--env', 'production'], { cwd: dir, env: { PATH: process.env.PATH, SHIPGATE_ACTOR: 'ops@example.com' } });
    expect(run.stdout + run.stderr).toContain('JWT_SECRET regex');
    expect(leaks(run.stdout + run.stderr)).toEqual([]);
    expect(leaks(allText(join(dir, '.shipgate')))).toEqual([]);
  });

  it('$GITHUB_STEP_SUMMARY is written with --json too; one that cannot be written is a warning, not a crash', async () => {
    const dir = dirWith({ 'shipgate.yml': 'version: 1\nname: s\nenvironments: { production: {} }\nphases:\n  - id: p\n    steps:\n      - { id: a, run: "true" }\n', 'pr.md': '- [ ] not yet\n' });
    initRepo(dir);
    commitAll(dir, 'base');
    gitIn(dir, 'branch', 'base');
    const summary = join(dir, 'summary.md');
    const json = await runCli(['gate', '--base', 'base', '--pr-body', 'pr.md', '--no-ledger', '--json'], { cwd: dir, env: { PATH: process.env.PATH, GITHUB_STEP_SUMMARY: summary } });
    expect(json.code).toBe(5);
    expect(JSON.parse(json.stdout.slice(0, json.stdout.lastIndexOf('}') + 1))).toMatchObject({ passed: false });
    expect(readFileSync(summary, 'utf8')).toContain('## shipgate merge gate: NOT met');
    const bad = await runCli(['gate', '--base', 'base', '--pr-body', 'pr.md', '--no-ledger'], { cwd: dir, env: { PATH: process.env.PATH, GITHUB_STEP_SUMMARY: join(dir, 'no/such/dir/summary.md') } });
    expect(bad.code).toBe(5);
    expect(bad.stderr).toContain('warning: could not write the summary to $GITHUB_STEP_SUMMARY');
    expect(bad.stderr).not.toContain('internal error');
  });

  it("the gate runs audit steps where a run would: the step's cwd, else the runbook's defaults.cwd", async () => {
    const dir = dirWith({ 'services/api/src/app.ts': 'const h = "devselenite";\n', 'src/app.ts': 'clean\n' });
    const rb = RunbookSchema.parse({ version: 1, name: 'g', environments: { production: {} }, defaults: { cwd: 'services/api' }, phases: [{ id: 'p', steps: [{ id: 'dev', uses: 'audit/grep', with: { pattern: 'devselenite', paths: ['src'] } }] }] });
    expect(await checkAuditSteps(rb, dir)).toMatchObject({ status: 'unmet', measured: expect.stringContaining('dev: 1 hit(s)') });
  });
});
