import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lastRunId, shipgate, tempProject } from '../support/cli.js';

// End-to-end through the BUILT CLI and the real engine: the migrations gate in a runbook.
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).reverse().forEach((c) => c()));

function project(migrationsBlock: string, files: Record<string, string>): string {
  const runbook = `version: 1
name: gate
roles:
  dba: { members: [bob@example.com] }
environments:
  prod: {}
migrations:
${migrationsBlock}
phases:
  - id: preflight
    steps:
      - id: migration-gate
        uses: migrations/lint
      - id: deploy
        run: echo deployed
`;
  const p = tempProject(runbook);
  cleanups.push(p.cleanup);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(p.dir, rel)), { recursive: true });
    writeFileSync(path.join(p.dir, rel), text);
  }
  return p.dir;
}

const BREAKING = { 'prisma/migrations/20240301000000_drop_nickname/migration.sql': 'ALTER TABLE "users" DROP COLUMN "nickname";\n' };
const ADDITIVE = { 'prisma/migrations/20240201000000_add_bio/migration.sql': 'ALTER TABLE "users" ADD COLUMN "bio" TEXT;\n' };
const as = (actor: string) => ({ env: { SHIPGATE_ACTOR: actor } });

describe('migrations/lint gate in a runbook', () => {
  it('a missing rollback plan fails with the exact file to write', async () => {
    const dir = project('  tool: prisma\n  dir: prisma/migrations\n  require:\n    approval-role: dba\n    rollback-plan: docs/rollback-plan.md\n', BREAKING);
    const r = await shipgate(['run', '--env', 'prod', '--no-prompt'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('✗ rollback-plan: expected docs/rollback-plan.md exists (schema changes pending: 1), measured missing: write docs/rollback-plan.md');
    expect(r.stdout).not.toContain('deployed');
  });

  it('breaking + approval-role: the run waits for the role (exit 3), an approval with a note lets it continue', async () => {
    const dir = project('  tool: prisma\n  dir: prisma/migrations\n  require:\n    approval-role: dba\n', BREAKING);
    const r = await shipgate(['run', '--env', 'prod', '--no-prompt'], { cwd: dir, ...as('alice@example.com') });
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toContain('⏸ migration-gate waiting for 1 approval(s) from role dba');
    expect(r.stdout).toContain('breaking migrations need approval by dba');
    const run = await lastRunId(dir);
    const outsider = await shipgate(['approve', run, 'migration-gate', '--all-pass', '--note', 'x'], { cwd: dir, ...as('alice@example.com') });
    expect(outsider.exitCode).toBe(2);
    const ok = await shipgate(['approve', run, 'migration-gate', '--all-pass', '--note', 'expand shipped in 1.4'], { cwd: dir, ...as('bob@example.com') });
    expect(ok.exitCode).toBe(0);
    const resumed = await shipgate(['resume', run, '--no-prompt'], { cwd: dir, ...as('bob@example.com') });
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stdout).toContain('deploy│ deployed');
  });

  it('breaking + rollout: staged needs the plan file; with it the gate passes', async () => {
    const block = '  tool: prisma\n  dir: prisma/migrations\n  rollout: staged\n  plan: docs/rollout-plan.md\n';
    const dir = project(block, BREAKING);
    const missing = await shipgate(['run', '--env', 'prod', '--no-prompt'], { cwd: dir });
    expect(missing.exitCode).toBe(1);
    expect(missing.stdout).toContain('missing: write docs/rollout-plan.md');
    mkdirSync(path.join(dir, 'docs'), { recursive: true });
    writeFileSync(path.join(dir, 'docs/rollout-plan.md'), '# expand, then contract\n');
    const passed = await shipgate(['run', '--env', 'prod', '--no-prompt'], { cwd: dir });
    expect(passed.exitCode).toBe(0);
    expect(passed.stdout).toContain('breaking migrations covered by the staged plan');
  });

  it('breaking with no plan and no approval role fails, saying what to set', async () => {
    const dir = project('  tool: prisma\n  dir: prisma/migrations\n', BREAKING);
    const r = await shipgate(['run', '--env', 'prod', '--no-prompt'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('set migrations.rollout: staged and migrations.plan: docs/rollout-plan.md (then write that file), or set migrations.require.approval-role');
  });

  it('migrations.dir missing: the step fails with the code, the path and the next command (no thrown stack)', async () => {
    const dir = project('  tool: prisma\n  dir: prisma/migrations\n', {});
    const r = await shipgate(['run', '--env', 'prod', '--no-prompt'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('✗ migration-gate failed');
    expect(r.stdout).toContain('SG_MIGRATIONS_PATH_MISSING: prisma/migrations (migrations.dir in shipgate.yml): no such file or folder → mkdir -p prisma/migrations, or set migrations.dir in shipgate.yml to the folder that holds the migrations');
    expect(r.stdout).toContain('✗ migrations-input: expected');
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/ENOENT|\n\s+at /);
    expect(r.stdout).not.toContain('deployed');
  });

  it('additive only: passes without plans', async () => {
    const dir = project('  tool: prisma\n  dir: prisma/migrations\n', ADDITIVE);
    const r = await shipgate(['run', '--env', 'prod', '--no-prompt'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('nothing at or above fail-on=breaking');
  });
});
