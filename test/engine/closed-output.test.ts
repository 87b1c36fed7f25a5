// The output's reader goes away mid-run (`shipgate run | head`): a release must not stop half-way
// and exit 0. A real CLI process, a real pipe closed by the reading side.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cliEnv, shipgate, useTempProjects } from '../support/cli.js';

const project = useTempProjects(afterEach);

/** Runs the CLI with its stdout read until the first line, then closed; resolves to the exit code. */
function withStdoutClosedEarly(args: string[], cwd: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: cliEnv(), stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.once('data', () => child.stdout.destroy());
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
}

describe('a closed output pipe', () => {
  it('run: the release goes on to its end (every step runs, the run is recorded as succeeded, exit 0)', async () => {
    const steps = Array.from({ length: 5 }, (_, i) => `      - { id: s${i}, run: "sleep 0.1; echo step ${i}; touch done-${i}" }`).join('\n');
    const dir = project(`version: 1\nname: piped\nenvironments:\n  prod: {}\nphases:\n  - id: p\n    steps:\n${steps}\n`);
    expect(await withStdoutClosedEarly(['run', '--env', 'prod'], dir)).toBe(0);
    for (let i = 0; i < 5; i++) expect(existsSync(join(dir, `done-${i}`))).toBe(true);
    const runs = JSON.parse((await shipgate(['runs', '--json'], { cwd: dir })).stdout) as Array<{ status: string }>;
    expect(runs[0]?.status).toBe('succeeded');
  });

  it('run: a failing release still exits 1 when nobody reads its output', async () => {
    const dir = project('version: 1\nname: piped\nenvironments:\n  prod: {}\nphases:\n  - id: p\n    steps:\n      - { id: a, run: "sleep 0.1; echo a" }\n      - { id: b, run: "exit 7" }\n');
    expect(await withStdoutClosedEarly(['run', '--env', 'prod'], dir)).toBe(1);
  });
});
