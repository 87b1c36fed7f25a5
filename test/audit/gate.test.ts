import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBackupEvidence } from '../../src/audit/gate/backup-evidence.js';
import { checkMigrationConditions } from '../../src/audit/gate/migration-conditions.js';
import { checkPrChecklist } from '../../src/audit/gate/pr-checklist.js';
import { LEDGER_SLICE_FORMAT } from '../../src/ledger/export-run-evidence.js';
import { missing } from '../support/audit-services.js';
import { runCli } from '../support/cli-run.js';
import { inMemoryEvidence } from '../support/in-memory-evidence.js';
import { commitAll, gitIn, initRepo, makeTempDir } from '../support/temp-dir.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
const NOW = new Date('2026-11-21T12:00:00Z');
const DAY = 86_400_000;

function write(dir: string, files: Record<string, string>): void {
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
}

const RUNBOOK = `version: 1
name: gate test
environments: { production: {} }
migrations:
  tool: sql
  dir: migrations
  require: { migration-plan: docs/migration-plan.md, rollback-plan: docs/rollback-plan.md }
phases:
  - id: gates
    steps:
      - { id: alignment, uses: audit/grep, with: { pattern: "Selenite-dev|DEV_", paths: [src, docs], allow: [docs/release-runbook.md] } }
      - { id: secrets, uses: secrets/check, with: { history: false } }
`;

/** A repo on main with one PR commit on top; returns its dir. */
function repo(prFiles: Record<string, string>): string {
  const t = makeTempDir();
  cleanups.push(t.cleanup);
  initRepo(t.dir);
  write(t.dir, { 'shipgate.yml': RUNBOOK, 'src/app.ts': 'export const x = 1;\n', 'docs/release-runbook.md': 'rg -n "Selenite-dev|DEV_"\n', '.gitignore': '.shipgate/\n' });
  commitAll(t.dir, 'chore: base');
  gitIn(t.dir, 'branch', 'base');
  write(t.dir, prFiles);
  commitAll(t.dir, 'feat: the PR');
  return t.dir;
}

describe('PR checklist', () => {
  it('every box must be ticked; an empty checklist is not met', () => {
    expect(checkPrChecklist({ text: '## Checklist\n- [x] tests\n- [X] docs\n', source: 'pr.md' }).status).toBe('met');
    const open = checkPrChecklist({ text: '- [x] tests\n- [ ] backup verified\n```\n- [ ] in a code block\n```\n', source: 'pr.md' });
    expect(open).toMatchObject({ status: 'unmet', measured: '1 of 2 ticked; open: "backup verified"' });
    expect(checkPrChecklist({ text: 'no list', source: 'pr.md' }).status).toBe('unmet');
  });
});

describe.skipIf(missing('git'))('merge gate', () => {
  it('passes with everything met; writes the summary to $GITHUB_STEP_SUMMARY; exit 0', async () => {
    const dir = repo({ 'src/feature.ts': 'export const y = 2;\n' });
    const t = makeTempDir();
    cleanups.push(t.cleanup);
    const summary = join(t.dir, 'summary.md');
    const event = join(t.dir, 'event.json');
    writeFileSync(event, JSON.stringify({ pull_request: { body: '- [x] tests pass\n- [x] backup verified' } }));
    // Backup evidence: a committed export whose chain verifies.
    const ev = inMemoryEvidence(() => new Date(Date.now() - DAY));
    await ev.record('run-started', {});
    await ev.record('backup-verified', { backup: 'b-1' });
    write(dir, { 'evidence/ledger.json': JSON.stringify({ format: LEDGER_SLICE_FORMAT, run: 'r-1', anchor: null, entries: ev.entries, runSeqs: [1, 2], ledgerHead: null }) });
    const r = await runCli(['gate', '--base', 'base', '--evidence', 'evidence'], { cwd: dir, env: { PATH: process.env.PATH, GITHUB_EVENT_PATH: event, GITHUB_STEP_SUMMARY: summary, GITHUB_ACTIONS: 'true' } });
    expect(r.stderr).toBe('gate met\n');
    expect(r.code).toBe(0);
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('## shipgate merge gate: passed');
    expect(md).toContain('| ✅ | Audit steps green | 1 audit step(s) green | alignment: 0 counted, 1 allowed |');
    expect(md).toContain('| ➖ | Migration plan |');
  });

  it('lists every unmet condition with how to meet it, with annotations; exit 5', async () => {
    const dir = repo({ 'migrations/0002_drop.sql': 'ALTER TABLE t DROP COLUMN c;\n', 'src/dev.ts': 'const host = "Selenite-dev";\n' });
    write(dir, { 'pr.md': '- [x] tests\n- [ ] rollback rehearsed\n' });
    const r = await runCli(['gate', '--base', 'base', '--pr-body', 'pr.md'], { cwd: dir, env: { PATH: process.env.PATH } });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('✗ PR checklist complete: 1 of 2 ticked; open: "rollback rehearsed"');
    expect(r.stderr).toContain('✗ Migration plan: docs/migration-plan.md missing (1 migration(s) changed)');
    expect(r.stderr).toContain('✗ Rollback plan: docs/rollback-plan.md missing');
    // The migration analyzer (src/analysis) classifies the changed file: DROP COLUMN is breaking.
    expect(r.stderr).toContain('✗ Breaking migrations have a staged plan: 1 breaking or unclassified: migrations/0002_drop.sql (breaking); rollout is not staged');
    expect(r.stdout).toContain('::error file=migrations/0002_drop.sql,line=1,title=Breaking migrations have a staged plan::breaking migration without a staged rollout plan');
    expect(r.stderr).toContain('✗ Backup verification evidence: no ledger and no evidence export to read');
    expect(r.stderr).toContain('✗ Audit steps green: alignment: 1 hit(s) (budget 0)');
    expect(r.stdout).toContain('::error file=src/dev.ts,line=1,title=Audit steps green::alignment: matches Selenite-dev|DEV_');
    expect(r.stdout).toContain('::error file=migrations/0002_drop.sql,line=1,title=Migration plan::migration changed but docs/migration-plan.md is missing');
    expect(r.stdout).toContain('### How to meet the gate');
  });

  it('a malformed event payload, or one that is not a pull_request, is exit 2 with the file named', async () => {
    const dir = repo({});
    const t = makeTempDir();
    cleanups.push(t.cleanup);
    const bad = join(t.dir, 'event.json');
    writeFileSync(bad, '{"pull_request": {"body": "- [x] a"');
    let r = await runCli(['gate', '--base', 'base'], { cwd: dir, env: { PATH: process.env.PATH, GITHUB_EVENT_PATH: bad } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error SG_GATE_BAD_EVENT: the GitHub event payload ${bad} is not valid JSON`);
    writeFileSync(bad, '{"ref": "refs/heads/main"}');
    r = await runCli(['gate', '--base', 'base'], { cwd: dir, env: { PATH: process.env.PATH, GITHUB_EVENT_PATH: bad } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('has no pull_request object');
    r = await runCli(['gate', '--base', 'base'], { cwd: dir, env: { PATH: process.env.PATH } });
    expect(r.stderr).toContain('SG_GATE_NO_PR_BODY');
    r = await runCli(['gate', '--base', 'base', '--pr-body', 'src'], { cwd: dir, env: { PATH: process.env.PATH } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error SG_GATE_NO_PR_BODY: cannot read the PR body file');
    writeFileSync(bad, JSON.stringify({ pull_request: { body: 42 } }));
    r = await runCli(['gate', '--base', 'base'], { cwd: dir, env: { PATH: process.env.PATH, GITHUB_EVENT_PATH: bad } });
    expect(r.stderr).toContain('pull_request.body in');
    expect(r.code).toBe(2);
    expect((await runCli(['gate', '--base', 'base', '--pr-body', 'pr.md', '--max-evidence-age', 'soon'], { cwd: dir, env: { PATH: process.env.PATH } })).stderr).toContain('SG_BAD_DURATION');
  });

  it('breaking migrations need rollout: staged + plan (analyzer seam)', async () => {
    const dir = repo({ 'migrations/0002_drop.sql': 'x\n', 'docs/migration-plan.md': 'm\n', 'docs/rollback-plan.md': 'r\n' });
    const classify = async (files: readonly string[]) => files.map((f) => ({ migration: f, class: 'breaking' as const }));
    const base = { cwd: dir, runbookDir: dir, base: 'base', classify };
    const mig = { tool: 'sql' as const, dir: 'migrations', require: { 'breaking-plan': true, 'migration-plan': 'docs/migration-plan.md', 'rollback-plan': 'docs/rollback-plan.md' } };
    let cs = await checkMigrationConditions({ ...base, migrations: mig });
    expect(cs.map((c) => `${c.id}:${c.status}`)).toEqual(['migration-plan:met', 'rollback-plan:met', 'breaking-plan:unmet']);
    // Wired to the real analyzer: an added table is additive, so no staged plan is needed.
    const { analyzerClassifier } = await import('../../src/audit/gate/analyzer-classify.js');
    write(dir, { 'migrations/0003_add.sql': 'CREATE TABLE notes (id integer primary key);\n' });
    const loaded = { runbook: { migrations: mig }, dir, path: join(dir, 'shipgate.yml') } as never;
    expect(await analyzerClassifier(loaded)(['migrations/0003_add.sql', 'migrations/deleted.sql'], dir)).toEqual([{ migration: 'migrations/0003_add.sql', class: 'backward-compatible' }]);
    write(dir, { 'docs/staged.md': 'expand, migrate, contract\n' });
    cs = await checkMigrationConditions({ ...base, migrations: { ...mig, rollout: 'staged', plan: 'docs/staged.md' } });
    expect(cs.at(-1)?.status).toBe('met');
  });

  it('backup evidence: recent enough from the ledger; an edited export fails verification', async () => {
    const ev = inMemoryEvidence(() => new Date(NOW.getTime() - 8 * DAY));
    await ev.record('backup-verified', { backup: 'old' });
    const opts = { maxAgeMs: 7 * DAY, maxAge: '7d', clock: () => NOW };
    expect((await checkBackupEvidence({ ...opts, evidence: ev })).status).toBe('unmet');
    const fresh = inMemoryEvidence(() => new Date(NOW.getTime() - DAY));
    await fresh.record('backup-verified', { backup: 'new' });
    expect((await checkBackupEvidence({ ...opts, evidence: fresh })).status).toBe('met');
    const t = makeTempDir();
    cleanups.push(t.cleanup);
    const tampered = fresh.entries.map((e) => ({ ...e, at: NOW.toISOString() }));
    writeFileSync(join(t.dir, 'ledger.json'), JSON.stringify({ format: LEDGER_SLICE_FORMAT, run: 'r', anchor: null, entries: tampered, runSeqs: [1], ledgerHead: null }));
    const c = await checkBackupEvidence({ ...opts, exportDir: t.dir });
    expect(c).toMatchObject({ status: 'unmet', measured: expect.stringContaining('fails verification at seq 1') });
    writeFileSync(join(t.dir, 'ledger.json'), 'not json');
    await expect(checkBackupEvidence({ ...opts, exportDir: t.dir })).rejects.toThrow(/SG_GATE_BAD_EVIDENCE|cannot read the evidence export/);
  });
});
