// The start gate: a POSIX step's script waits on fd 3 until its start (with the pid) is durable,
// so one commit covers "started" and "spawned" and overlaps the shell's own start-up. These tests
// run real shells; the crash test kill -9s a real Node process that is recording a start.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runProcess, type ProcessSpec } from '../../src/engine/process/run-process.js';
import { GATE_CLOSED_EXIT, GATE_CLOSED_MESSAGE, shellCommand } from '../../src/engine/process/shell-command.js';
import { processSpec } from '../support/process-spec.js';
import { useTempTrees } from '../support/temp-dir.js';

const tree = useTempTrees(afterEach);
const tempDir = () => tree({});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Running, and not a zombie waiting for a parent (or pid 1) to reap it. */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/** A bash step that touches `ran` when its script runs. */
/** Whether process `pid` has ended within `ms` (a process that never got a pid has nothing to end). */
async function goneWithin(pid: number | undefined, ms: number): Promise<boolean> {
  if (pid === undefined) return true;
  for (let waited = 0; alive(pid) && waited < ms; waited += 50) await sleep(50);
  return !alive(pid);
}

const spec = (dir: string, over: Partial<ProcessSpec>): ProcessSpec => processSpec(dir, { script: `touch ${join(dir, 'ran')}`, ...over });

describe('the start gate', () => {
  it.each(['bash', 'sh'])('%s: the script does not run until the start is recorded, and the record has the pid', async (shell) => {
    const dir = tempDir();
    const calls: Array<number | undefined> = [];
    const end = await runProcess(
      spec(dir, {
        shell,
        recordStart: async (pid) => {
          calls.push(pid);
          await sleep(300); // a slow commit: the shell has long started by now
          expect(existsSync(join(dir, 'ran'))).toBe(false);
          expect(pid !== undefined && alive(pid)).toBe(true);
        },
        onSpawn: () => {
          throw new Error('a gated shell reports its pid through recordStart');
        },
      }),
    );
    expect(end).toMatchObject({ reason: 'exited', exitCode: 0 });
    expect(calls).toHaveLength(1);
    expect(typeof calls[0]).toBe('number');
    expect(existsSync(join(dir, 'ran'))).toBe(true);
  });

  it('a failed record closes the gate: runProcess rejects and the script never runs', async () => {
    const dir = tempDir();
    let pid: number | undefined;
    await expect(
      runProcess(
        spec(dir, {
          recordStart: (p) => {
            pid = p;
            throw new Error('store is gone');
          },
        }),
      ),
    ).rejects.toThrow('store is gone');
    expect(await goneWithin(pid, 2500)).toBe(true);
    expect(existsSync(join(dir, 'ran'))).toBe(false);
  });

  it('an interrupt while the start is recorded: the gate stays shut and the end says nothing ran (not-started)', async () => {
    const dir = tempDir();
    const ac = new AbortController();
    const end = await runProcess(
      spec(dir, {
        signal: ac.signal,
        recordStart: () => ac.abort(),
      }),
    );
    expect(end.reason).toBe('not-started');
    expect(existsSync(join(dir, 'ran'))).toBe(false);
  });

  it('a gate closed by something else (a BASH_ENV file closing fd 3) fails 125 and says why, having run nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bash-env.sh'), 'exec 3<&-\n');
    const end = await runProcess(spec(dir, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', BASH_ENV: join(dir, 'bash-env.sh') } }));
    expect(end).toMatchObject({ reason: 'exited', exitCode: GATE_CLOSED_EXIT });
    expect(end.stderr).toContain(GATE_CLOSED_MESSAGE);
    expect(existsSync(join(dir, 'ran'))).toBe(false);
  });

  it('keeps the author\'s line numbers in the shell\'s error messages', async () => {
    const dir = tempDir();
    const end = await runProcess(spec(dir, { script: 'true\nno_such_command_here\n' }));
    expect(end).toMatchObject({ reason: 'exited', exitCode: 127 });
    expect(end.stderr).toMatch(/line 2: no_such_command_here: command not found/);
  });

  it('closes fd 3 before the author\'s code: nothing the script starts holds the gate', async () => {
    const dir = tempDir();
    const end = await runProcess(spec(dir, { script: 'if { true >&3; } 2>/dev/null; then echo open; else echo closed; fi' }));
    expect(end).toMatchObject({ reason: 'exited', exitCode: 0, stdout: 'closed' });
  });

  it('a shell without a gate (a custom template): the start is recorded before the spawn, then the pid', async () => {
    const dir = tempDir();
    const order: string[] = [];
    const end = await runProcess(
      spec(dir, {
        shell: `${process.execPath} {0}`,
        script: `require('fs').writeFileSync(${JSON.stringify(join(dir, 'ran'))}, '')`,
        recordStart: (pid) => void order.push(`start:${pid === undefined ? 'no pid' : 'pid'}`),
        onSpawn: (pid) => void order.push(`spawned:${typeof pid}`),
      }),
    );
    expect(end).toMatchObject({ reason: 'exited', exitCode: 0 });
    expect(order).toEqual(['start:no pid', 'spawned:number']);
    expect(existsSync(join(dir, 'ran'))).toBe(true);
  });

  it('a shell without a gate whose pid cannot be recorded is stopped: a resume could not see it running', async () => {
    const dir = tempDir();
    let pid: number | undefined;
    await expect(
      runProcess(
        spec(dir, {
          shell: `${process.execPath} {0}`,
          script: `setTimeout(() => require('fs').writeFileSync(${JSON.stringify(join(dir, 'ran'))}, ''), 1500)`,
          onSpawn: (p) => {
            pid = p;
            throw new Error('store is gone');
          },
        }),
      ),
    ).rejects.toThrow('store is gone');
    expect(await goneWithin(pid, 2500)).toBe(true);
    await sleep(1600);
    expect(existsSync(join(dir, 'ran'))).toBe(false);
  });

  it('a spawn that fails still records the start, without a pid', async () => {
    const dir = tempDir();
    const calls: Array<number | undefined> = [];
    const end = await runProcess(spec(dir, { env: { PATH: dir }, recordStart: (pid) => void calls.push(pid) }));
    expect(end.reason).toBe('spawn-failed');
    expect(calls).toEqual([undefined]);
  });

  it('is on the first line, and not on Windows', () => {
    const unix = shellCommand('bash', 'echo hi\necho there', '/x/s.sh', 'linux');
    expect(unix.gated).toBe(true);
    expect(unix.script.split('\n')).toHaveLength(2);
    expect(unix.script.endsWith('echo hi\necho there')).toBe(true);
    expect(shellCommand('bash', 'echo hi', 'C:/x/s.sh', 'win32')).toMatchObject({ gated: false, script: 'echo hi' });
    expect(shellCommand('pwsh', 'echo hi', '/x/s.ps1', 'linux').gated).toBe(false);
  });

  it('kill -9 of the engine while it records the start: the waiting script exits without running', async () => {
    const dir = tempDir();
    const runner = join(dir, 'runner.mjs');
    // The built module (`npm test` builds first): a real Node process starts the step, prints the
    // shell's pid, and never finishes recording the start.
    const mod = new URL('../../dist/engine/process/run-process.js', import.meta.url).pathname;
    writeFileSync(
      runner,
      `const { runProcess } = await import(${JSON.stringify(mod)});
await runProcess({ shell: 'bash', script: 'touch ${join(dir, 'ran')}', cwd: ${JSON.stringify(dir)}, env: { PATH: process.env.PATH }, timeoutMs: 60000,
  signal: new AbortController().signal, scriptFile: ${JSON.stringify(join(dir, 'step.sh'))},
  recordStart: (pid) => { console.log(pid); return new Promise(() => {}); }, onSpawn: () => {}, onLine: () => {} });`,
    );
    const engine = spawn(process.execPath, [runner], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = Number(await new Promise<string>((resolve) => engine.stdout.once('data', (b: Buffer) => resolve(b.toString().trim()))));
    expect(alive(pid)).toBe(true); // the shell, waiting at its gate
    engine.kill('SIGKILL');
    expect(await goneWithin(pid, 5000)).toBe(true);
    expect(existsSync(join(dir, 'ran'))).toBe(false);
    expect(readFileSync(join(dir, 'step.sh'), 'utf8')).toContain(`exit ${GATE_CLOSED_EXIT}`);
  });
});
