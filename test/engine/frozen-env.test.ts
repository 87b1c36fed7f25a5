import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lastRunId, shipgate, useTempProjects } from '../support/cli.js';

const project = useTempProjects(afterEach);
const RUNBOOK = `version: 1
name: incident
roles:
  oncall: { members: [ann@example.com] }
environments:
  p1:
    secrets: [API_TOKEN]
phases:
  - id: respond
    steps:
      - id: gate
        manual: { role: oncall }
      - id: disable-flags
        if: env.DISABLE_FLAGS == 'yes'
        run: |
          echo expression says \${{ env.DISABLE_FLAGS }}, the shell says "$DISABLE_FLAGS"
          echo "token \${{ env.API_TOKEN }}" > /dev/null
`;
const walk = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));

describe('env.NAME read by expressions is fixed when the run starts', () => {
  it('a resume from another shell (without the variable) still sees the value the run started with', async () => {
    const dir = project(RUNBOOK);
    const started = await shipgate(['run', '--env', 'p1'], { cwd: dir, env: { SHIPGATE_ACTOR: 'ann@example.com', DISABLE_FLAGS: 'yes', API_TOKEN: 'tok-canary-5521' } });
    expect(started.exitCode).toBe(3);
    const run = await lastRunId(dir);
    expect((await shipgate(['approve', run, 'gate'], { cwd: dir, env: { SHIPGATE_ACTOR: 'ann@example.com' } })).exitCode).toBe(0);
    const resumed = await shipgate(['resume', run], { cwd: dir, env: { SHIPGATE_ACTOR: 'ann@example.com', API_TOKEN: 'tok-canary-5521' } });
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('expression says yes, the shell says yes');
    // A declared secret is never frozen into the stored plan (it is read live, and redacted).
    for (const f of walk(join(dir, '.shipgate'))) expect(readFileSync(f).includes(Buffer.from('tok-canary-5521')), f).toBe(false);
  });

  it('a run started without the variable stays without it, whatever the resuming shell has', async () => {
    const dir = project(RUNBOOK);
    const started = await shipgate(['run', '--env', 'p1'], { cwd: dir, env: { SHIPGATE_ACTOR: 'ann@example.com', API_TOKEN: 't' } });
    expect(started.exitCode).toBe(3);
    // A one-character secret still runs (test environments use them), with a warning.
    expect(started.stderr).toContain('warning: secret API_TOKEN is 1 character(s) long');
    const run = await lastRunId(dir);
    await shipgate(['approve', run, 'gate'], { cwd: dir, env: { SHIPGATE_ACTOR: 'ann@example.com' } });
    const resumed = await shipgate(['resume', run], { cwd: dir, env: { SHIPGATE_ACTOR: 'ann@example.com', API_TOKEN: 't', DISABLE_FLAGS: 'yes' } });
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain("skipped: if env.DISABLE_FLAGS == 'yes' is false");
  });
});
