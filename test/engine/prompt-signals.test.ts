// The approval prompt of a run on a real terminal (a pseudo-terminal from util-linux `script`):
// Ctrl-C there, or SIGTERM to shipgate while it asks, stops the run cleanly (exit 130,
// recorded as interrupted) instead of leaving it waiting or hanging.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cliEnv, shipgate, useTempProjects } from '../support/cli.js';
import { PROMPT_RUNBOOK } from '../support/prompt-runbook.js';

const project = useTempProjects(afterEach);
const terminals: ChildProcess[] = [];
// A failed test must not leave a run waiting at its prompt: closing the terminal hangs it up.
afterEach(() => {
  for (const t of terminals.splice(0)) t.kill('SIGKILL');
});

const RUNBOOK = PROMPT_RUNBOOK;

/** `shipgate run` on a pseudo-terminal; resolves once the checklist question is on screen. */
function runAtTerminal(dir: string): Promise<{ term: ChildProcess; exit: Promise<number | null> }> {
  const term = spawn('script', ['-qfec', `${process.execPath} ${BIN} run --env prod`, '/dev/null'], { cwd: dir, env: cliEnv() });
  terminals.push(term);
  const exit = new Promise<number | null>((resolve) => term.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let screen = '';
    const timer = setTimeout(() => reject(new Error(`no prompt after 20 s: ${screen}`)), 20_000);
    term.stdout!.on('data', (d: Buffer) => {
      screen += d.toString();
      if (screen.includes('[p]ass / [f]ail?')) {
        clearTimeout(timer);
        resolve({ term, exit });
      }
    });
  });
}

/** The pid of the shipgate process under the terminal (its command line names bin/shipgate.js). */
function shipgatePid(): number {
  for (const p of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      if (cmd[0] === process.execPath && cmd[1] === BIN && cmd[2] === 'run') return Number(p);
    } catch {
      // gone meanwhile
    }
  }
  throw new Error('no shipgate process found');
}

async function lastRunStatus(dir: string): Promise<string | undefined> {
  const runs = JSON.parse((await shipgate(['runs', '--json'], { cwd: dir })).stdout) as Array<{ status: string }>;
  return runs[0]?.status;
}

describe('signals at the approval prompt', () => {
  it('Ctrl-C typed at the prompt interrupts the run (exit 130), like Ctrl-C anywhere else', async () => {
    const dir = project(RUNBOOK);
    const { term, exit } = await runAtTerminal(dir);
    term.stdin!.write('\x03');
    expect(await exit).toBe(130);
    expect(await lastRunStatus(dir)).toBe('interrupted');
    expect(existsSync(join(dir, 'after.txt'))).toBe(false);
  });

  it('SIGTERM to shipgate while it asks closes the prompt and interrupts the run', async () => {
    const dir = project(RUNBOOK);
    const { exit } = await runAtTerminal(dir);
    process.kill(shipgatePid(), 'SIGTERM');
    expect(await exit).toBe(130);
    expect(await lastRunStatus(dir)).toBe('interrupted');
  });
});
