import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBackupEvidence } from '../../src/audit/gate/backup-evidence.js';
import { checkMigrationConditions } from '../../src/audit/gate/migration-conditions.js';
import { checkPrChecklist } from '../../src/audit/gate/pr-checklist.js';
import type { EvidenceLog } from '../../src/actions/action.js';
import { asRunId } from '../../src/core/brand.js';
import { LEDGER_SLICE_FORMAT, exportRunEvidence } from '../../src/ledger/export-run-evidence.js';
import { FileArtifactStore } from '../../src/store/file-artifact-store.js';
import { openStore } from '../../src/store/open-store.js';
import type { StateStore } from '../../src/store/state-store.js';
import { sampleRun } from '../support/store-fixtures.js';
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

type Backup = { id?: unknown; environment?: unknown; passed?: unknown };
/**
 * A real SQLite state store with one finished run that verified a backup, exported to `outDir`
 * (what `shipgate evidence export` writes). Returns the export's head and the open store.
 */
async function exportedBackupRun(outDir: string, at: Date, data: Backup = { id: 'b-1', environment: 'production', passed: true }): Promise<{ head: string; store: StateStore }> {
  const t = makeTempDir();
  const store = await openStore({ stateDir: t.dir });
  cleanups.push(t.cleanup, () => void store.close());
  const run = asRunId(`r-${Math.random().toString(36).slice(2, 8)}`);
  const iso = at.toISOString();
  const actor = { id: 'ops@example.com', via: 'asserted-env' as const };
  await store.createRun(sampleRun(run, { status: 'succeeded', startedAt: iso, updatedAt: iso, endedAt: iso }));
  await store.appendLedger({ at: iso, run, step: null, kind: 'run-started', actor, data: { environment: 'production' } });
  await store.appendLedger({ at: iso, run, step: null, kind: 'backup-verified', actor, data });
  const last = await store.appendLedger({ at: iso, run, step: null, kind: 'run-finished', actor, data: { status: 'succeeded' } });
  await exportRunEvidence({ store, artifacts: new FileArtifactStore({ stateDir: t.dir }), runId: run, outDir });
  return { head: last.hash, store };
}

function liveEvidence(store: StateStore): EvidenceLog {
  return { record: () => Promise.reject(new Error('read only')), find: (f) => store.readLedger(f) };
}

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
    // Backup evidence: a committed export, anchored by a trusted head (CI has no live ledger).
    const { head } = await exportedBackupRun(join(dir, 'evidence'), new Date(Date.now() - DAY));
    const r = await runCli(['gate', '--base', 'base', '--evidence', 'evidence', '--no-ledger', '--trusted-head', head], { cwd: dir, env: { PATH: process.env.PATH, GITHUB_EVENT_PATH: event, GITHUB_STEP_SUMMARY: summary, GITHUB_ACTIONS: 'true' } });
    expect(r.stderr).toBe('gate met\n');
    expect(r.code).toBe(0);
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('## shipgate merge gate: passed');
    expect(md).toContain('| ✅ | Audit steps green | 1 audit step(s) green | alignment: 0 counted, 1 allowed |');
    expect(md).toContain('| ➖ | Migration plan |');
  });

  it('a self-consistent export with no live ledger and no trusted head is UNVERIFIABLE: exit 5', async () => {
    const dir = repo({ 'src/feature.ts': 'export const y = 2;\n' });
    write(dir, { 'pr.md': '- [x] tests\n' });
    const { head } = await exportedBackupRun(join(dir, 'evidence'), new Date(Date.now() - DAY));
    const r = await runCli(['gate', '--base', 'base', '--pr-body', 'pr.md', '--evidence', 'evidence', '--no-ledger'], { cwd: dir, env: { PATH: process.env.PATH } });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('✗ Backup verification evidence: UNVERIFIABLE: ');
    expect(r.stderr).toContain('→ pass --trusted-head HASH');
    const bad = await runCli(['gate', '--base', 'base', '--pr-body', 'pr.md', '--evidence', 'evidence', '--no-ledger', '--trusted-head', 'abc'], { cwd: dir, env: { PATH: process.env.PATH } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error SG_FLAGS: --trusted-head abc is not a ledger entry hash');
    const env = await runCli(['gate', '--base', 'base', '--pr-body', 'pr.md', '--evidence', 'evidence', '--no-ledger', '--trusted-head', head, '--env', 'staging'], { cwd: dir, env: { PATH: process.env.PATH } });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('error SG_UNKNOWN_ENV: --env staging');
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

  it('a base ref the clone does not have is named as such (exit 2), with --base and the fetch to run', async () => {
    // repo() has no remote, like a first clone with only `main`: the default --base origin/main is missing.
    const dir = repo({ 'migrations/0002_add.sql': 'CREATE TABLE notes (id integer primary key);\n' });
    write(dir, { 'pr.md': '- [x] tests\n' });
    const r = await runCli(['gate', '--pr-body', 'pr.md'], { cwd: dir, env: { PATH: process.env.PATH } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error SG_GATE_NO_BASE: the base ref origin/main does not exist in this repository');
    expect(r.stderr).toContain('→ pass the branch the PR merges into (shipgate gate --base <ref>, e.g. --base main), or fetch it first (git fetch origin main;');
    expect(r.stderr).not.toContain('git repository with at least one commit');
    const typo = await runCli(['gate', '--pr-body', 'pr.md', '--base', 'mian'], { cwd: dir, env: { PATH: process.env.PATH } });
    expect(typo.stderr).toContain('error SG_GATE_NO_BASE: the base ref mian does not exist');
    expect(typo.stderr).toContain('(git fetch --all;');
    // The ref exists: the gate runs and judges the migration.
    expect((await runCli(['gate', '--pr-body', 'pr.md', '--base', 'base'], { cwd: dir, env: { PATH: process.env.PATH } })).stderr).toContain('✗ Migration plan: docs/migration-plan.md missing');
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
    await ev.record('backup-verified', { id: 'old', environment: 'production', passed: true });
    const opts = { maxAgeMs: 7 * DAY, maxAge: '7d', clock: () => NOW, environment: 'production' };
    expect((await checkBackupEvidence({ ...opts, evidence: ev })).status).toBe('unmet');
    const fresh = inMemoryEvidence(() => new Date(NOW.getTime() - DAY));
    await fresh.record('backup-verified', { id: 'new', environment: 'production', passed: true });
    expect((await checkBackupEvidence({ ...opts, evidence: fresh })).status).toBe('met');
    const t = makeTempDir();
    cleanups.push(t.cleanup);
    const { head } = await exportedBackupRun(t.dir, new Date(NOW.getTime() - DAY));
    expect((await checkBackupEvidence({ ...opts, exportDir: t.dir, trustedHead: head })).status).toBe('met');
    const file = join(t.dir, 'ledger.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/"at": "[^"]+"/, `"at": "${NOW.toISOString()}"`));
    const c = await checkBackupEvidence({ ...opts, exportDir: t.dir, trustedHead: head });
    expect(c).toMatchObject({ status: 'unmet', measured: expect.stringContaining('fails verification at seq 1') });
    writeFileSync(file, 'not json');
    expect(await checkBackupEvidence({ ...opts, exportDir: t.dir, trustedHead: head })).toMatchObject({ status: 'unmet', measured: expect.stringContaining('cannot read the evidence export') });
  });

  it('backup evidence: a forged export (hand-written, or from another ledger) does not meet the gate', async () => {
    const opts = { maxAgeMs: 7 * DAY, maxAge: '7d', clock: () => NOW, environment: 'production' };
    // The reviewer's forgery: one backup-verified entry chained from genesis, nothing else.
    const forged = makeTempDir();
    cleanups.push(forged.cleanup);
    const ev = inMemoryEvidence(() => new Date(NOW.getTime() - DAY));
    await ev.record('backup-verified', { id: 'b-1', environment: 'production', passed: true });
    writeFileSync(join(forged.dir, 'ledger.json'), JSON.stringify({ format: LEDGER_SLICE_FORMAT, run: 'r-1', anchor: null, entries: ev.entries, runSeqs: [], ledgerHead: { seq: 1, hash: ev.entries[0]!.hash } }));
    expect((await checkBackupEvidence({ ...opts, exportDir: forged.dir })).status).toBe('unmet');
    // A complete, self-consistent bundle written with shipgate itself on another machine.
    const other = makeTempDir();
    cleanups.push(other.cleanup);
    const { head: otherHead } = await exportedBackupRun(other.dir, new Date(NOW.getTime() - DAY));
    const alone = await checkBackupEvidence({ ...opts, exportDir: other.dir });
    expect(alone).toMatchObject({ status: 'unmet', measured: expect.stringMatching(/^UNVERIFIABLE: /), how: expect.stringContaining('--trusted-head HASH') });
    // Against the real live ledger it does not match; against the real trusted head neither.
    const real = makeTempDir();
    cleanups.push(real.cleanup);
    const { store, head } = await exportedBackupRun(real.dir, new Date(NOW.getTime() - 2 * DAY));
    await store.appendLedger({ at: NOW.toISOString(), run: null, step: null, kind: 'note', actor: { id: 'x', via: 'system' }, data: {} });
    expect(await checkBackupEvidence({ ...opts, exportDir: other.dir, evidence: liveEvidence(store) })).toMatchObject({ status: 'unmet', measured: expect.stringContaining('does not match the live ledger at seq') });
    expect(await checkBackupEvidence({ ...opts, exportDir: other.dir, trustedHead: head })).toMatchObject({ status: 'unmet', measured: expect.stringContaining('UNVERIFIABLE: no entry') });
    // The genuine export is met against its live ledger and against its trusted head.
    expect((await checkBackupEvidence({ ...opts, exportDir: real.dir, evidence: liveEvidence(store) })).status).toBe('met');
    expect((await checkBackupEvidence({ ...opts, exportDir: real.dir, trustedHead: head })).status).toBe('met');
    expect(otherHead).not.toBe(head);
  });

  it('backup evidence: the entry must have passed, name a backup id and be of the gate\'s environment', async () => {
    const opts = { maxAgeMs: 7 * DAY, maxAge: '7d', clock: () => NOW };
    const cases: Array<[Backup, string]> = [
      [{ id: 'b-1', environment: 'staging', passed: true }, 'environment "staging" is not production'],
      [{ id: 'b-1', environment: 'production', passed: false }, 'data.passed is not true'],
      [{ environment: 'production', passed: true }, 'names no backup id'],
    ];
    for (const [data, why] of cases) {
      const t = makeTempDir();
      cleanups.push(t.cleanup);
      const { head } = await exportedBackupRun(t.dir, new Date(NOW.getTime() - DAY), data);
      expect(await checkBackupEvidence({ ...opts, environment: 'production', exportDir: t.dir, trustedHead: head })).toMatchObject({ status: 'unmet', measured: expect.stringContaining(why) });
    }
    expect(await checkBackupEvidence({ ...opts, evidence: inMemoryEvidence() })).toMatchObject({ status: 'unmeasured', how: expect.stringContaining('--env NAME') });
  });
});
