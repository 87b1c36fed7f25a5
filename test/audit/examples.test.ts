import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSecret } from '../../src/audit/secrets/generate-secret.js';
import { loadRunbook } from '../../src/runbook/load.js';
import { missing } from '../support/audit-services.js';
import { runCli } from '../support/cli-run.js';
import { commitAll, initRepo, makeTempDir } from '../support/temp-dir.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
const EXAMPLES = join(process.cwd(), 'examples', 'audit');

/** Copies an example into its own git repository (its history is what the secrets check searches). */
function checkout(name: string): string {
  const t = makeTempDir();
  cleanups.push(t.cleanup);
  cpSync(join(EXAMPLES, name), t.dir, { recursive: true });
  initRepo(t.dir);
  commitAll(t.dir, 'chore: sample');
  return t.dir;
}

describe('example runbooks', () => {
  it.each(['selenite', 'chefcloud'])('%s validates against the runbook schema', async (name) => {
    const r = await loadRunbook('shipgate.yml', { cwd: join(EXAMPLES, name) });
    expect(r.ok ? [] : r.error).toEqual([]);
  });

  it.skipIf(missing('git'))('Selenite alignment audit runs as steps with an honest zero-hit gate', async () => {
    const dir = checkout('selenite');
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, SHIPGATE_ACTOR: 'ops@example.com' };
    const ok = await runCli(['run', 'shipgate.yml', '--env', 'production', '--no-prompt'], { cwd: dir, env });
    expect(ok.stdout).toContain('0 counted hit(s) (budget 0), 2 allowed');
    expect(ok.code).toBe(0);
    const shown = await runCli(['audit', 'grep', 'Selenite-dev|5174|8201|devselenite|dev\\.selenite|DEV_', 'scripts', 'docs', 'backend', 'frontend', '--allow', 'docs/release-runbook.md', '--show-allowed'], { cwd: dir, env });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('[allowed by glob docs/release-runbook.md]');
    expect(shown.stdout).toContain('[allowed by marker shipgate: allow: historic note, no code uses it]');
    writeFileSync(join(dir, 'frontend/src/dev.ts'), 'export const DEV_PROXY = "http://localhost:5174";\n');
    const bad = await runCli(['run', 'shipgate.yml', '--env', 'production', '--no-prompt'], { cwd: dir, env });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('first: frontend/src/dev.ts:1:14');
    expect(bad.stdout).toContain('counted hits: expected ≤ 0, measured 1');
  });

  it.skipIf(missing('git'))('ChefCloud secrets checklist runs as a step; the Fly environment uses a FAKE fly', async () => {
    const dir = checkout('chefcloud');
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, SHIPGATE_ACTOR: 'ops@example.com' };
    writeFileSync(
      join(dir, '.env.production'),
      `DATABASE_URL=postgres://chef:${generateSecret(16, 'hex')}@127.0.0.1:5432/chef\nJWT_SECRET=${generateSecret(32)}\nSENTRY_DSN=https://abc@o1.ingest.sentry.io/1\nWH_SECRET=${generateSecret(24)}\n`,
    );
    const never = await runCli(['run', 'shipgate.yml', '--env', 'production', '--no-prompt'], { cwd: dir, env });
    expect(never.code).toBe(1);
    expect(never.stdout).toContain('JWT_SECRET rotation');
    expect((await runCli(['secrets', 'rotated', 'JWT_SECRET'], { cwd: dir, env })).code).toBe(0);
    const ok = await runCli(['run', 'shipgate.yml', '--env', 'production', '--no-prompt'], { cwd: dir, env });
    expect(ok.stdout).toMatch(/secrets-checklist .*0 failed, 0 unmeasured/);
    expect(ok.code).toBe(0);
    // Fly: names only (FAKE fly on PATH). Presence passes; length cannot be measured → exit 1 unless accepted.
    const flyEnv = { ...env, PATH: `${join(dir, 'fakebin')}:${process.env.PATH}` };
    const fly = await runCli(['secrets', 'check', '--env', 'production-fly', '--no-history'], { cwd: dir, env: flyEnv });
    expect(fly.stdout).toContain('ok   JWT_SECRET present: expected set in command `fly secrets list -a chefcloud-prod-api`; measured listed');
    expect(fly.stdout).toContain('??   JWT_SECRET min-length');
    expect(fly.code).toBe(1);
    expect((await runCli(['secrets', 'check', '--env', 'production-fly', '--no-history', '--accept-unmeasured'], { cwd: dir, env: flyEnv })).code).toBe(0);
  });
});
