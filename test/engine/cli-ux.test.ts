import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lastRunId, shipgate, useTempProjects } from '../support/cli.js';

const project = useTempProjects(afterEach);
const as = (actor: string) => ({ env: { SHIPGATE_ACTOR: actor } });

const RUNBOOK = `version: 1
name: ux
roles:
  ops: { members: [bob@example.com] }
environments:
  prod: {}
phases:
  - id: release
    steps:
      - id: deploy
        run: echo deployed
      - id: check
        manual:
          role: ops
          instructions: |
            Open the admin page and:
              - log in as admin
                (use the break-glass account)
              - export a CSV

            Then tick the list.
          checklist: [Exported]
      - id: after
        run: echo after
`;

describe('terminal output a first-time user reads', () => {
  it('multi-line manual instructions keep their relative indentation under the step line', async () => {
    const dir = project(RUNBOOK);
    const r = await shipgate(['run', '--env', 'prod', '--no-prompt'], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(3);
    expect(r.stdout).toContain(
      [
        '    Open the admin page and:',
        '      - log in as admin',
        '        (use the break-glass account)',
        '      - export a CSV',
        '',
        '    Then tick the list.',
        '    1. Exported',
      ].join('\n'),
    );
  });

  it('after a resume, the last line gives the run\'s duration since it started, and the resumed part\'s', async () => {
    const dir = project(RUNBOOK);
    expect((await shipgate(['run', '--env', 'prod', '--no-prompt'], { cwd: dir })).exitCode).toBe(3);
    const run = await lastRunId(dir);
    await new Promise((r) => setTimeout(r, 1200)); // the approver takes a while
    expect((await shipgate(['approve', run, 'check', '--all-pass'], { cwd: dir, ...as('bob@example.com') })).exitCode).toBe(0);
    const r = await shipgate(['resume', run], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    const last = r.stdout.trim().split('\n').at(-1)!;
    const m = /^run \S+ succeeded in (\d+\.\d)s since it started \(this resume: (\d+)ms\): 3 step\(s\) done$/.exec(last);
    expect(m, last).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(1.2);
    expect(Number(m![2])).toBeLessThan(1200);
  });
});

describe('read-only commands where nothing has run', () => {
  it('runs lists nothing (exit 0), status/approve/resume/cancel/evidence say there is no run; none creates .shipgate/', async () => {
    const dir = project(RUNBOOK);
    const runs = await shipgate(['runs'], { cwd: dir });
    expect(runs.exitCode, runs.stderr).toBe(0);
    expect(runs.stdout).toBe(`no runs yet in ${join(dir, '.shipgate')}`);
    expect((await shipgate(['runs', '--json'], { cwd: dir })).stdout).toBe('[]');

    const status = await shipgate(['status'], { cwd: dir });
    expect(status.exitCode).toBe(2);
    expect(status.stderr).toContain(`error SG_RUN_NOT_FOUND: no runs yet: no shipgate state in ${join(dir, '.shipgate')} (nothing has run here)`);
    for (const args of [['status', 'r-nope'], ['approve', 'r-nope', 'check', '--all-pass'], ['reject', 'r-nope', 'check', '--note', 'no'], ['resume', 'r-nope'], ['cancel', 'r-nope', '--reason', 'x']]) {
      const r = await shipgate(args, { cwd: dir });
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain('error SG_RUN_NOT_FOUND: no run r-nope: no shipgate state in');
    }
    for (const args of [['evidence', 'show', 'r-nope'], ['evidence', 'verify'], ['evidence', 'export', 'r-nope', '--out', 'ev']]) {
      const r = await shipgate(args, { cwd: dir });
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain('error SG_STATE_MISSING');
    }
    expect(existsSync(join(dir, '.shipgate')), readdirSync(dir).join(' ')).toBe(false);
  });
});

describe('exit codes of the built CLI', () => {
  it('help, --help and --version exit 0; an unknown command exits 2', async () => {
    const dir = project(RUNBOOK);
    for (const args of [['help'], ['help', 'run'], ['--help'], ['run', '--help'], ['--version']]) {
      const r = await shipgate(args, { cwd: dir });
      expect(r.exitCode, args.join(' ')).toBe(0);
      expect(r.stdout.length, args.join(' ')).toBeGreaterThan(0);
    }
    expect((await shipgate(['frob'], { cwd: dir })).exitCode).toBe(2);
  });
});
