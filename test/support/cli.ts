import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'shipgate.js');

export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Base environment for CLI tests: no colour, a fixed actor, nothing inherited that could leak in. */
export function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', NO_COLOR: '1', SHIPGATE_ACTOR: 'alice@example.com', ...extra };
}

/** Runs the BUILT CLI (`npm run build` first; `npm test` does) as a real child process. */
export async function shipgate(args: readonly string[], opts: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<CliResult> {
  const r = await execa('node', [BIN, ...args], { cwd: opts.cwd, env: cliEnv(opts.env), extendEnv: false, reject: false, timeout: opts.timeoutMs ?? 60_000, stdin: 'ignore' });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Starts the CLI without waiting, for kill -9 and Ctrl-C tests. */
export function spawnShipgate(args: readonly string[], opts: { cwd: string; env?: Record<string, string> }): ResultPromise {
  return execa('node', [BIN, ...args], { cwd: opts.cwd, env: cliEnv(opts.env), extendEnv: false, reject: false, stdin: 'ignore' });
}

/** A temp project dir holding `shipgate.yml`; removed by the returned cleanup. */
export function tempProject(runbook: string, files: Record<string, string> = {}): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'sg-e2e-'));
  writeFileSync(join(dir, 'shipgate.yml'), runbook);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The run id printed on the first line of a plain run, or from `runs --json`. */
export async function lastRunId(cwd: string): Promise<string> {
  const r = await shipgate(['runs', '--json'], { cwd });
  const runs = JSON.parse(r.stdout) as Array<{ id: string }>;
  if (!runs[0]) throw new Error(`no runs in ${cwd}: ${r.stderr}`);
  return runs[0].id;
}

/**
 * Temp projects for a test file, removed after each test (LIFO): call `useTempProjects()` once
 * at the top of the file, then `project(runbook)` in tests.
 */
export function useTempProjects(afterEachHook: (fn: () => void) => void): (runbook: string, files?: Record<string, string>) => string {
  const cleanups: Array<() => void> = [];
  afterEachHook(() => cleanups.splice(0).reverse().forEach((c) => c()));
  return (runbook, files = {}) => {
    const p = tempProject(runbook, files);
    cleanups.push(p.cleanup);
    return p.dir;
  };
}
