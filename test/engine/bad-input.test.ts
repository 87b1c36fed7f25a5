import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { shipgate, useTempProjects } from '../support/cli.js';

const project = useTempProjects(afterEach);
const OK = `version: 1
name: ok
environments:
  prod:
    secrets: [JWT_SECRET]
phases:
  - id: p
    steps:
      - id: a
        run: echo a
`;

describe('bad input: one-line cause, next command, stable exit code, nothing touched', () => {
  it('a missing runbook file', async () => {
    const dir = project(OK);
    const r = await shipgate(['run', 'nope.yml', '--env', 'prod'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error SG_RUNBOOK_UNREADABLE: cannot read runbook nope.yml');
    expect(r.stderr).toContain('→ pass the runbook path');
  });

  it('malformed YAML is reported with file:line:col, and nothing runs', async () => {
    const dir = project(OK.replace('run: echo a', 'run: echo "a: b" >&2; echo c: d'));
    const r = await shipgate(['run', '--env', 'prod'], { cwd: dir, env: { JWT_SECRET: 'x' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/shipgate\.yml:\d+:\d+: error \S+/);
    expect(r.stderr).toContain('nothing was run');
  });

  it('an unknown environment names the ones that exist', async () => {
    const dir = project(OK);
    const r = await shipgate(['run', '--env', 'staging'], { cwd: dir, env: { JWT_SECRET: 'x' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error SG_UNKNOWN_ENV: environment "staging" is not defined');
    expect(r.stderr).toContain('(defined: prod)');
  });

  it('a missing required secret stops the run before any step, naming where it looked', async () => {
    const dir = project(OK);
    const r = await shipgate(['run', '--env', 'prod'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error SG_SECRET_MISSING: environment prod needs secret JWT_SECRET');
    expect(r.stderr).toContain('→ export JWT_SECRET=');
    // and it comes from .env when the process env lacks it
    writeFileSync(join(dir, '.env'), 'JWT_SECRET=from-dotenv\n');
    expect((await shipgate(['run', '--env', 'prod'], { cwd: dir })).exitCode).toBe(0);
  });

  it('a runbook that uses release.version refuses to run without --release, before any step', async () => {
    const dir = project(OK.replace('run: echo a', 'run: echo deploying \${{ release.version }} > deployed.txt'));
    const r = await shipgate(['run', '--env', 'prod'], { cwd: dir, env: { JWT_SECRET: 'x' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/error SG_RELEASE_REQUIRED: step \S+ uses \$\{\{ release\.version \}\}, and no release was given \(--release\): it would be empty; nothing was run/);
    expect(r.stderr).toContain('--release <version>');
    expect(JSON.parse((await shipgate(['runs', '--json'], { cwd: dir })).stdout)).toEqual([]);
    const ok = await shipgate(['run', '--env', 'prod', '--release', '1.4.0'], { cwd: dir, env: { JWT_SECRET: 'x' } });
    expect(ok.exitCode, ok.stdout + ok.stderr).toBe(0);
    expect(readFileSync(join(dir, 'deployed.txt'), 'utf8')).toBe('deploying 1.4.0\n');
  });

  it('release.version read only by a rollback step also needs --release', async () => {
    const dir = project(OK.replace('        run: echo a\n', '        run: echo a\nrollback:\n  steps:\n    - id: back\n      run: ./rollback.sh \${{ release.version }}\n'));
    const r = await shipgate(['run', '--env', 'prod'], { cwd: dir, env: { JWT_SECRET: 'x-long-enough' } });
    expect(r.exitCode, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toContain('error SG_RELEASE_REQUIRED: step back uses');
  });

  it('resume, approve and status of an unknown run', async () => {
    const dir = project(OK);
    for (const args of [['resume', 'r-nope'], ['approve', 'r-nope', 'a', '--all-pass'], ['status', 'r-nope']]) {
      const r = await shipgate(args, { cwd: dir });
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('SG_RUN_NOT_FOUND');
    }
  });

  it('a malformed --item is refused before anything is written', async () => {
    const dir = project(OK);
    const r = await shipgate(['approve', 'r-x', 'a', '--item', 'one=yes'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error SG_BAD_ITEM: --item one=yes: expected N=pass or N=fail');
  });

  it('a corrupted state file is reported and left byte-identical', async () => {
    const dir = project(OK);
    mkdirSync(join(dir, '.shipgate'));
    const garbage = Buffer.from('this is not a database, it is a very important file\n'.repeat(200));
    writeFileSync(join(dir, '.shipgate', 'state.db'), garbage);
    const r = await shipgate(['run', '--env', 'prod'], { cwd: dir, env: { JWT_SECRET: 'x' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('SG_STATE_CORRUPT');
    expect(readFileSync(join(dir, '.shipgate', 'state.db')).equals(garbage)).toBe(true);
  });
});

describe('secrets kept at a provider', () => {
  it('are not demanded locally: their presence is checked by secrets/check, not by run', async () => {
    const dir = project(`version: 1
name: fly
environments:
  prod:
    secrets:
      - { name: JWT_SECRET, source: { command: "fly secrets list -a api" } }
      - LOCAL_TOKEN
phases:
  - id: p
    steps:
      - id: a
        run: echo "jwt:\${JWT_SECRET:-unset}"
`);
    const r = await shipgate(['run', '--env', 'prod'], { cwd: dir, env: { LOCAL_TOKEN: 'local-token-value' } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('jwt:unset');
  });
});
