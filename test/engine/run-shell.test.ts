import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessRunning } from '../../src/engine/process/process-group.js';
import { lastRunId, shipgate, useTempProjects } from '../support/cli.js';

const project = useTempProjects(afterEach);
const rb = (steps: string, extra = '') => `version: 1
name: t
roles:
  admin: { members: [alice@example.com, bob@example.com, carol@example.com] }
environments:
  prod:
    vars: { GREETING: "it's \\"quoted\\" $HOME" }
    secrets: [API_TOKEN]
${extra}
phases:
  - id: main
    steps:
${steps}`;

describe('shell steps', () => {
  it('fails a script that prints a failure and exits 0, naming the pattern', async () => {
    const dir = project(rb(`      - id: stop
        run: echo "Stop-Process failed for 2 processes"; exit 0
        expect: { stdout: "All Selenite processes stopped\\\\." , stdout-not: "failed" }`));
    const r = await shipgate(['run', '--env', 'prod'], { cwd: dir, env: { API_TOKEN: 'tok' } });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('✗ stop failed');
    // The forbidden line is named first: it says what went wrong, not only what was missing.
    expect(r.stdout).toContain('stdout matched forbidden /failed/ at line 1: Stop-Process failed for 2 processes');
  });

  it('accepts listed exit codes and flags forbidden stderr with the line number', async () => {
    const dir = project(rb(`      - id: a
        run: exit 3
        expect: { exit-codes: [0, 3] }
      - id: b
        run: |
          echo ok; echo "warning" >&2; echo "FATAL: disk" >&2
        expect: { stderr-not: "^FATAL" }`));
    const r = await shipgate(['run', '--env', 'prod'], { cwd: dir, env: { API_TOKEN: 'tok' } });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('✓ a passed');
    expect(r.stdout).toContain('stderr matched forbidden /^FATAL/ at line 2: FATAL: disk');
  });

  it('passes outputs between steps and shell-quotes substituted values (no injection)', async () => {
    const dir = project(rb(`      - id: produce
        run: |
          echo "id=b-42" >> "$SHIPGATE_OUTPUT"
          echo 'evil=$(touch pwned); echo hacked' >> "$SHIPGATE_OUTPUT"
      - id: consume
        run: printf '%s|%s|%s\\n' \${{ steps.produce.outputs.id }} \${{ steps.produce.outputs.evil }} \${{ vars.GREETING }}`));
    const r = await shipgate(['run', '--env', 'prod'], { cwd: dir, env: { API_TOKEN: 'tok' } });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`consume│ b-42|$(touch pwned); echo hacked|it's "quoted" $HOME`);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
  });

  it('skips a step whose if: is false, and continue-on-error lets the run go on', async () => {
    const dir = project(rb(`      - id: maybe
        if: \${{ vars.GREETING == 'nope' }}
        run: exit 1
      - id: flaky
        run: exit 7
        continue-on-error: true
      - id: after
        run: echo after`));
    const r = await shipgate(['run', '--env', 'prod'], { cwd: dir, env: { API_TOKEN: 'tok' } });
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/- maybe skipped/);
    expect(r.stdout).toMatch(/! flaky failed-continued .* exit code 7/);
    expect(r.stdout).toMatch(/✓ after passed/);
  });

  it('keeps scripts and output files in a private in-memory dir, removed when the run ends', async () => {
    const dir = project(rb(`      - id: where
        run: |
          echo "script=$0"
          echo "output=$SHIPGATE_OUTPUT"
          stat -c 'mode=%a' "$(dirname "$0")"
          printf 'k=v\\n' >> "$SHIPGATE_OUTPUT"
      - id: after
        run: echo got \${{ steps.where.outputs.k }}`));
    const xdg = project('');
    const r = await shipgate(['run', '--env', 'prod'], { cwd: dir, env: { API_TOKEN: 'tok', XDG_RUNTIME_DIR: xdg } });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const runId = await lastRunId(dir);
    expect(r.stdout).toMatch(new RegExp(`script=${xdg}/shipgate-${runId}-\\w+/where\\.1\\.sh`));
    expect(r.stdout).toMatch(new RegExp(`output=${xdg}/shipgate-${runId}-\\w+/where\\.1\\.output`));
    expect(r.stdout).toContain('mode=700');
    expect(r.stdout).toContain('got v');
    expect(readdirSync(xdg).filter((f) => f.startsWith('shipgate-'))).toEqual([]);
  });

  it('retries with backoff until the step passes', async () => {
    const dir = project(rb(`      - id: flaky
        run: |
          n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count
          [ "$n" -ge 3 ] || { echo "attempt $n failed"; exit 1; }
        retries: { count: 3, delay: 50ms }`));
    const r = await shipgate(['run', '--env', 'prod'], { cwd: dir, env: { API_TOKEN: 'tok' } });
    expect(r.exitCode, r.stdout).toBe(0);
    expect(readFileSync(join(dir, 'count'), 'utf8').trim()).toBe('3');
    expect(r.stdout).toContain('retry 2 in 50ms');
    expect(r.stdout).toContain('retry 3 in 100ms'); // exponential
  });

  it('kills the whole process tree on timeout', async () => {
    const dir = project(rb(`      - id: hang
        run: |
          sleep 300 &
          echo $! > child.pid
          wait
        timeout: 1s`));
    const r = await shipgate(['run', '--env', 'prod'], { cwd: dir, env: { API_TOKEN: 'tok' } });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('timed out after 1s; the process tree was killed');
    const pid = Number(readFileSync(join(dir, 'child.pid'), 'utf8'));
    await new Promise((res) => setTimeout(res, 300));
    expect(isProcessRunning(pid)).toBe(false); // the grandchild is gone too (a zombie at most)
  });

  it('runs independent steps in parallel, within the concurrency limit', async () => {
    const step = (id: string) => `      - id: ${id}
        needs: []
        run: date +%s%N > ${id}.start; sleep 0.6; date +%s%N > ${id}.end`;
    const dir = project(rb([step('p1'), step('p2'), step('p3')].join('\n'), 'concurrency: 2'));
    const r = await shipgate(['run', '--env', 'prod'], { cwd: dir, env: { API_TOKEN: 'tok' } });
    expect(r.exitCode, r.stdout).toBe(0);
    const t = (f: string) => Number(readFileSync(join(dir, f), 'utf8'));
    const spans = ['p1', 'p2', 'p3'].map((id) => [t(`${id}.start`), t(`${id}.end`)] as const);
    const overlapping = (a: readonly [number, number], b: readonly [number, number]) => a[0] < b[1] && b[0] < a[1];
    expect(overlapping(spans[0]!, spans[1]!)).toBe(true); // p1 and p2 ran together
    expect(overlapping(spans[2]!, spans[0]!) && overlapping(spans[2]!, spans[1]!)).toBe(false); // never three at once
  });

  it('starts a joining step only after all its needs, and a later independent step without waiting', async () => {
    // slow and fast run together; join needs both; free is listed last but needs nothing.
    const dir = project(rb(`      - id: slow
        needs: []
        run: sleep 0.4; echo slow >> order
      - id: fast
        needs: []
        run: echo fast >> order
      - id: join
        needs: [slow, fast]
        run: echo join >> order
      - id: after
        run: echo after >> order
      - id: free
        needs: []
        run: echo free >> order`, 'concurrency: 2'));
    const r = await shipgate(['run', '--env', 'prod', '--json'], { cwd: dir, env: { API_TOKEN: 'tok' } });
    expect(r.exitCode, r.stdout).toBe(0);
    const order = readFileSync(join(dir, 'order'), 'utf8').trim().split('\n');
    expect(order.indexOf('join')).toBeGreaterThan(order.indexOf('slow'));
    expect(order.indexOf('join')).toBeGreaterThan(order.indexOf('fast'));
    expect(order.indexOf('after')).toBeGreaterThan(order.indexOf('join'));
    // free took the slot fast left, while slow was still sleeping.
    expect(order.indexOf('free')).toBeLessThan(order.indexOf('slow'));
    expect(order).toHaveLength(5);
  });

  it('a step after a manual step decided without anyone (if: false) starts in the same pass, not after an unrelated step', async () => {
    // slow fails after a while; smoke only needs the skipped gate, so it must run before that.
    const dir = project(rb(`      - id: slow
        needs: []
        run: sleep 1.5; exit 1
      - id: build
        needs: []
        run: "true"
      - id: gate
        needs: [build]
        if: \${{ vars.GREETING == 'never' }}
        manual: { role: admin }
      - id: smoke
        needs: [gate]
        run: echo smoke > smoke.ran`, 'concurrency: 4'));
    const r = await shipgate(['run', '--env', 'prod'], { cwd: dir, env: { API_TOKEN: 'tok' } });
    expect(r.exitCode, r.stdout).toBe(1); // slow failed
    expect(existsSync(join(dir, 'smoke.ran')), r.stdout).toBe(true);
  });

  it('prints NDJSON events with --json', async () => {
    const dir = project(rb(`      - id: a
        run: echo hi`));
    const r = await shipgate(['run', '--env', 'prod', '--json'], { cwd: dir, env: { API_TOKEN: 'tok' } });
    const kinds = r.stdout.trim().split('\n').map((l) => JSON.parse(l).kind);
    expect(kinds).toEqual(['run-started', 'step-started', 'step-spawned', 'step-output', 'step-finished', 'run-finished']);
  });

  it('never writes a secret: canary searched in every byte of output, store, ledger and artifacts', async () => {
    const canary = 'CANARY-7f3a9c2e-do-not-leak';
    const dir = project(rb(`      - id: leak
        run: |
          echo "token is $API_TOKEN"
          echo "token=$API_TOKEN" >> "$SHIPGATE_OUTPUT"
          echo "$API_TOKEN" >&2
          exit 1`));
    const r = await shipgate(['run', '--env', 'prod', '--json'], { cwd: dir, env: { API_TOKEN: canary } });
    expect(r.exitCode).toBe(1);
    const status = await shipgate(['status', '--json'], { cwd: dir });
    const exported = await shipgate(['evidence', 'export', await lastRunId(dir), '--out', join(dir, 'export')], { cwd: dir });
    expect(exported.exitCode, exported.stderr).toBe(0);
    expect(r.stdout + r.stderr + status.stdout).not.toContain(canary);
    expect(r.stdout).toContain('token is ***');
    const files = walk(dir).filter((f) => !f.endsWith('shipgate.yml'));
    expect(files.some((f) => f.endsWith('state.db'))).toBe(true);
    expect(files.some((f) => f.includes('artifacts'))).toBe(true);
    for (const f of files) expect(readFileSync(f).includes(Buffer.from(canary)), f).toBe(false);
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
