import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lastRunId, shipgate, spawnShipgate, useTempProjects } from '../support/cli.js';

// Regression tests for defects found in review: each failed before its fix.
const project = useTempProjects(afterEach);
const rb = (steps: string, secrets = '[]') => `version: 1
name: review
roles:
  admin: { members: [bob@example.com] }
environments:
  prod: { secrets: ${secrets} }
phases:
  - id: p
    steps:
${steps}`;
function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}
async function waitFor(path: string): Promise<void> {
  for (let i = 0; i < 300 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 50));
}

describe('review fixes', () => {
  it('a forbidden line after 8 MiB of output still fails the step', async () => {
    const dir = project(rb(`      - id: noisy
        run: |
          head -c 9000000 /dev/zero | tr '\\0' 'x' | fold -w 1000; echo
          echo 'ERROR: migration 42 failed'
        expect: { stdout-not: "^ERROR" }`));
    const r = await shipgate(['run', '--env', 'prod', '--json'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('stdout matched forbidden /^ERROR/ at line 9001: ERROR: migration 42 failed');
  });

  it('redacts every line of a multi-line secret (a PEM key)', async () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nq7bX0pL3mN9sT2vW8yZ4cF6hJ1kD5gR0\n-----END PRIVATE KEY-----';
    const dir = project(rb(`      - id: show
        run: echo "$TLS_KEY"`, '[TLS_KEY]'));
    const r = await shipgate(['run', '--env', 'prod', '--json'], { cwd: dir, env: { TLS_KEY: pem } });
    expect(r.exitCode).toBe(0);
    for (const secretLine of ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 'q7bX0pL3mN9sT2vW8yZ4cF6hJ1kD5gR0']) {
      expect(r.stdout).not.toContain(secretLine);
      for (const f of walk(join(dir, '.shipgate'))) expect(readFileSync(f).includes(Buffer.from(secretLine)), f).toBe(false);
    }
  });

  it('never puts the script (with expanded values) into argv, where ps shows it', async () => {
    const dir = project(rb(`      - id: argv
        run: |
          tr '\\0' ' ' < /proc/$$/cmdline; echo
          echo "token=\${{ secrets.API_TOKEN }}" > /dev/null`, '[API_TOKEN]'));
    const r = await shipgate(['run', '--env', 'prod'], { cwd: dir, env: { API_TOKEN: 'tok-visible-in-ps-7781' } });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    // The shell is spawned by its resolved path (resolve-command.ts), e.g. /usr/bin/bash.
    const argvLine = r.stdout.split('\n').find((l) => /argv│ \S*bash /.test(l))!;
    expect(argvLine).toMatch(/bash --noprofile --norc -e -o pipefail \S+\.sh/);
    expect(argvLine).not.toContain('tok-visible-in-ps-7781');
    expect(argvLine).not.toContain('cmdline');
  });

  it('judges if: on a manual step, and expands expressions in what the approver reads', async () => {
    const dir = project(rb(`      - id: render-only
        if: \${{ vars.PROVIDER == 'render' }}
        manual: { role: admin }
      - id: sign-off
        manual:
          role: admin
          instructions: Check \${{ vars.PROVIDER }} for release \${{ release.version }}
          checklist: ["Dashboard of \${{ vars.PROVIDER }} is green"]`).replace('prod: { secrets: [] }', 'prod: { secrets: [], vars: { PROVIDER: fly } }'));
    const r = await shipgate(['run', '--env', 'prod', '--release', '2.0.1'], { cwd: dir });
    expect(r.exitCode, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toContain("- render-only skipped");
    expect(r.stdout).toContain('Check fly for release 2.0.1');
    expect(r.stdout).toContain('1. Dashboard of fly is green');
  });

  it('clamps a timeout beyond what a timer can hold instead of firing at once', async () => {
    const dir = project(rb(`      - id: long
        run: echo fine
        timeout: 30d`));
    const r = await shipgate(['run', '--env', 'prod'], { cwd: dir });
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.stdout).toContain('✓ long passed');
  });

  it('refuses to cancel a run whose driver is alive; the lock stays with it', async () => {
    const dir = project(rb(`      - id: slow
        run: touch started; sleep 8; echo done`));
    const child = spawnShipgate(['run', '--env', 'prod'], { cwd: dir });
    await waitFor(join(dir, 'started'));
    const run = await lastRunId(dir);
    const cancel = await shipgate(['cancel', run, '--reason', 'test'], { cwd: dir });
    expect(cancel.exitCode).toBe(4);
    expect(cancel.stderr).toContain(`error SG_RUN_ACTIVE: run ${run} is running right now`);
    expect((await child).exitCode).toBe(0);
  });

  it('two resumes at once: exactly one drives the run, the step runs once', async () => {
    const dir = project(rb(`      - id: gate
        manual: { role: admin }
      - id: migrate
        run: echo x >> migrate.count; sleep 1`));
    expect((await shipgate(['run', '--env', 'prod'], { cwd: dir })).exitCode).toBe(3);
    const run = await lastRunId(dir);
    expect((await shipgate(['approve', run, 'gate'], { cwd: dir, env: { SHIPGATE_ACTOR: 'bob@example.com' } })).exitCode).toBe(0);
    const [a, b] = await Promise.all([shipgate(['resume', run], { cwd: dir }), shipgate(['resume', run], { cwd: dir })]);
    const codes = [a.exitCode, b.exitCode].sort();
    expect(codes[0]).toBe(0);
    expect([2, 4]).toContain(codes[1]); // refused while driven (4) or already finished (2)
    expect(readFileSync(join(dir, 'migrate.count'), 'utf8').trim().split('\n')).toHaveLength(1);
  });
});
