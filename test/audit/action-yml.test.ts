import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, expect, it } from 'vitest';
import { missing } from '../support/audit-services.js';
import { commitAll, gitIn, initRepo, makeTempDir } from '../support/temp-dir.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

it('the example workflow uses the gate action with a full-history checkout', () => {
  const wf = parse(readFileSync('examples/github/release-gate.yml', 'utf8'));
  const steps = wf.jobs.gate.steps as Array<{ uses?: string; with?: Record<string, unknown> }>;
  expect(wf.on.pull_request.types).toContain('edited');
  expect(steps[0]).toMatchObject({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
  expect(steps.find((s) => s.uses?.startsWith('shipgate/shipgate'))?.with).toMatchObject({ runbook: 'shipgate.yml' });
});

/**
 * Runs action.yml's composite script with bash as GitHub would (inputs as env), with `npx`
 * replaced by a shim that runs this worktree's built bin — the script itself is what is tested.
 */
it.skipIf(missing('git'))('action.yml runs `shipgate gate` and its exit code is the step result', async () => {
  const action = parse(readFileSync('action.yml', 'utf8'));
  expect(action.runs.using).toBe('composite');
  const script = action.runs.steps[0].run as string;
  const t = makeTempDir();
  cleanups.push(t.cleanup);
  const shim = join(t.dir, 'shim');
  mkdirSync(shim);
  // SHIM for npx (no registry access in tests): drops `--yes shipgate@VERSION`, runs the local bin.
  writeFileSync(join(shim, 'npx'), `#!/bin/sh\nshift 2\nexec "${process.execPath}" "${join(process.cwd(), 'bin/shipgate.js')}" "$@"\n`);
  chmodSync(join(shim, 'npx'), 0o755);
  const repo = join(t.dir, 'repo');
  mkdirSync(repo);
  initRepo(repo);
  writeFileSync(join(repo, 'shipgate.yml'), 'version: 1\nname: t\nenvironments: { production: {} }\nphases:\n  - id: p\n    steps:\n      - { id: a, run: "true" }\n');
  commitAll(repo, 'chore: base');
  gitIn(repo, 'branch', 'base');
  const event = join(t.dir, 'event.json');
  const run = (body: string) => {
    writeFileSync(event, JSON.stringify({ pull_request: { body } }));
    try {
      execFileSync('bash', ['-e', '-c', script], {
        cwd: repo,
        stdio: 'pipe',
        env: { PATH: `${shim}:${process.env.PATH}`, GITHUB_EVENT_PATH: event, SG_RUNBOOK: 'shipgate.yml', SG_BASE: 'base', SG_EVIDENCE: '', SG_MAX_AGE: '7d', SG_HISTORY: 'true', SG_VERSION: 'latest' },
      });
      return { code: 0, out: '' };
    } catch (e) {
      const x = e as { status: number; stdout: Buffer; stderr: Buffer };
      return { code: x.status, out: x.stdout.toString() + x.stderr.toString() };
    }
  };
  const r = run('- [ ] not yet');
  expect(r.code).toBe(5);
  expect(r.out).toContain('::error title=shipgate gate%3A PR checklist complete::');
  expect(r.out).toContain('Backup verification evidence');
});
