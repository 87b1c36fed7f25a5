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

describe('env.NAME read by expressions cannot change between start and resume', () => {
  it('a resume from a shell without the variable is refused, naming it; with it, the run decides as it started', async () => {
    const dir = project(RUNBOOK);
    const started = await shipgate(['run', '--env', 'p1'], { cwd: dir, env: { SHIPGATE_ACTOR: 'ann@example.com', DISABLE_FLAGS: 'yes', API_TOKEN: 'tok-canary-5521' } });
    expect(started.exitCode).toBe(3);
    const run = await lastRunId(dir);
    expect((await shipgate(['approve', run, 'gate'], { cwd: dir, env: { SHIPGATE_ACTOR: 'ann@example.com' } })).exitCode).toBe(0);
    const refused = await shipgate(['resume', run], { cwd: dir, env: { SHIPGATE_ACTOR: 'ann@example.com', API_TOKEN: 'tok-canary-5521' } });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(`error SG_RESUME_ENV_CHANGED: run ${run}'s expressions read env DISABLE_FLAGS (set when the run started, unset now)`);
    const resumed = await shipgate(['resume', run], { cwd: dir, env: { SHIPGATE_ACTOR: 'ann@example.com', DISABLE_FLAGS: 'yes', API_TOKEN: 'tok-canary-5521' } });
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('expression says yes, the shell says yes');
    // Neither the declared secret nor the value of a read variable is stored: only a keyed hash.
    for (const f of walk(join(dir, '.shipgate'))) expect(readFileSync(f).includes(Buffer.from('tok-canary-5521')), f).toBe(false);
  });

  it('a name the step sets in its own env:, and empty vs unset, do not block a resume', async () => {
    const dir = project(RUNBOOK.replace("if: env.DISABLE_FLAGS == 'yes'", "if: env.PORT != '' && env.MODE != 'x'\n        env: { PORT: '8080' }"));
    const started = await shipgate(['run', '--env', 'p1'], { cwd: dir, env: { SHIPGATE_ACTOR: 'ann@example.com', API_TOKEN: 'x-token-value', PORT: '1', MODE: '' } });
    expect(started.exitCode).toBe(3);
    const run = await lastRunId(dir);
    await shipgate(['approve', run, 'gate'], { cwd: dir, env: { SHIPGATE_ACTOR: 'ann@example.com' } });
    const resumed = await shipgate(['resume', run], { cwd: dir, env: { SHIPGATE_ACTOR: 'ann@example.com', API_TOKEN: 'x-token-value', PORT: '2' } });
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
  });

  it('an undeclared credential read through env.NAME never reaches the state', async () => {
    const dir = project(RUNBOOK.replace("if: env.DISABLE_FLAGS == 'yes'", "if: env.GH_TOKEN != ''"));
    const r = await shipgate(['run', '--env', 'p1'], { cwd: dir, env: { SHIPGATE_ACTOR: 'ann@example.com', GH_TOKEN: 'ghp_notdeclared0000canary', API_TOKEN: 'x-token-value' } });
    expect(r.exitCode).toBe(3);
    for (const f of walk(join(dir, '.shipgate'))) expect(readFileSync(f).includes(Buffer.from('ghp_notdeclared0000canary')), f).toBe(false);
  });

  it('a run started without the variable cannot be resumed with it set', async () => {
    const dir = project(RUNBOOK);
    const started = await shipgate(['run', '--env', 'p1'], { cwd: dir, env: { SHIPGATE_ACTOR: 'ann@example.com', API_TOKEN: 't' } });
    expect(started.exitCode).toBe(3);
    // A one-character secret still runs (test environments use them), with a warning.
    expect(started.stderr).toContain('warning: secret API_TOKEN is 1 character(s) long');
    const run = await lastRunId(dir);
    await shipgate(['approve', run, 'gate'], { cwd: dir, env: { SHIPGATE_ACTOR: 'ann@example.com' } });
    const refused = await shipgate(['resume', run], { cwd: dir, env: { SHIPGATE_ACTOR: 'ann@example.com', API_TOKEN: 't', DISABLE_FLAGS: 'yes' } });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('DISABLE_FLAGS (unset when the run started, set now)');
    const resumed = await shipgate(['resume', run], { cwd: dir, env: { SHIPGATE_ACTOR: 'ann@example.com', API_TOKEN: 't' } });
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain("skipped: if env.DISABLE_FLAGS == 'yes' is false");
  });
});
