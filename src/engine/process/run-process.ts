import { writeFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import { eachLine } from './each-line.js';
import { resolveCommand } from './resolve-command.js';
import { shellCommand } from './shell-command.js';

/** Bytes of each stream kept in memory for `expect:` matching. The full log goes to the artifact. */
export const KEEP_OUTPUT_BYTES = 8 * 1024 * 1024;
/** After SIGTERM, how long the process group gets before SIGKILL. */
export const KILL_GRACE_MS = 3000;

export interface ProcessSpec {
  readonly shell: string;
  readonly script: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  /** Where a custom-shell script file is written. */
  readonly scriptFile: string;
  /**
   * Makes the start durable; the command does not run before it resolves. For a gated shell
   * (shell-command.ts) it is called once the process exists, with its pid (= its process group
   * id), while the script waits at its gate, or without a pid when the spawn failed; otherwise
   * it is called before the spawn, without a pid, and `onSpawn` gets the pid.
   */
  readonly recordStart: (pid?: number) => Promise<void> | void;
  /** For a shell without a gate: called once the process exists, with its pid. */
  readonly onSpawn: (pid: number) => Promise<void> | void;
  /** Every line, as it comes (already split; not yet redacted). */
  readonly onLine: (stream: 'stdout' | 'stderr', line: string) => void;
}

export type ProcessEnd =
  | { readonly reason: 'exited'; readonly exitCode: number; readonly stdout: string; readonly stderr: string; readonly ms: number }
  | { readonly reason: 'timed-out' | 'aborted'; readonly stdout: string; readonly stderr: string; readonly ms: number }
  | { readonly reason: 'spawn-failed'; readonly message: string; readonly stdout: string; readonly stderr: string; readonly ms: number }
  /** Interrupted while the start was recorded: the gate was closed unopened, nothing of the script ran. */
  | { readonly reason: 'not-started'; readonly stdout: string; readonly stderr: string; readonly ms: number };

/**
 * Runs one step's command in its own process group, so that a timeout or Ctrl-C kills the whole
 * tree (a `start-app.sh` that forks a server must not leave it running). Resolves when the
 * process has exited and both streams are drained. Rejects only when recording the start or the
 * pid fails (the store is gone), after closing the process's streams.
 */
export async function runProcess(spec: ProcessSpec): Promise<ProcessEnd> {
  const started = performance.now();
  const cmd = shellCommand(spec.shell, spec.script, spec.scriptFile);
  writeFileSync(spec.scriptFile, cmd.script, { mode: 0o600 });
  if (!cmd.gated) await spec.recordStart();

  const kept = { stdout: new Capped(), stderr: new Capped() };
  // node:child_process rather than execa here: a step is one spawn, and execa's wrapping
  // measured ~7 ms per spawn on these machines (+55% over a bare spawn), which is most of the
  // engine's budget (bench/engine/overhead.mjs). The libraries use execa for their tool calls.
  const child = spawn(resolveCommand(cmd.file, spec.env.PATH), cmd.args, {
    cwd: spec.cwd,
    env: spec.env,
    // fd 3 is the gate: the script waits for a line on it (shell-command.ts).
    stdio: cmd.gated ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: kill(-pid) reaches grandchildren
    windowsHide: true,
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  let timer: NodeJS.Timeout | undefined;
  let ended: 'timed-out' | 'aborted' | undefined;
  const killTree = (why: 'timed-out' | 'aborted') => {
    ended ??= why;
    signalGroup(child.pid, 'SIGTERM');
    setTimeout(() => signalGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS).unref();
  };
  const onAbort = () => killTree('aborted');
  try {
    // Listeners first, then record the start (persisted before the command may run). A failed
    // record rejects from here, with the streams closed in `finally` (a gated script has not run).
    // Whether the script may have run: false only when a gated script's gate stayed shut.
    let opened = true;
    if (cmd.gated) opened = await recordThenRelease(child, spec);
    else if (child.pid !== undefined) {
      try {
        await spec.onSpawn(child.pid);
      } catch (e) {
        // Its pid is not recorded, so a resume could not see it still running and might start it
        // again beside it: it does not outlive the error.
        killTree('aborted');
        throw e;
      }
    }

    const readers = (['stdout', 'stderr'] as const).map((name) =>
      eachLine(child[name], (line) => {
        kept[name].push(line);
        spec.onLine(name, line);
      }),
    );
    timer = setTimeout(() => killTree('timed-out'), spec.timeoutMs);
    if (spec.signal.aborted) onAbort();
    else spec.signal.addEventListener('abort', onAbort, { once: true });

    const result = await exited;
    // The shell may exit while a grandchild still holds the pipes; do not wait forever for them.
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(readers.map((r) => r.done)), new Promise((r) => (grace = setTimeout(r, 2000).unref()))]);
    clearTimeout(grace); // not left pending for every step of a long run
    // Given up on (or done): the unfinished last line is taken now, and nothing comes later.
    for (const r of readers) r.stop();
    const out = { stdout: kept.stdout.text(), stderr: kept.stderr.text(), ms: performance.now() - started };
    if (ended) {
      signalGroup(child.pid, 'SIGKILL');
      return { reason: opened ? ended : 'not-started', ...out };
    }
    if (result.error) return { reason: 'spawn-failed', message: result.error.message, ...out };
    // Killed by a signal from outside: report it like a shell does (128 + n).
    const exitCode = result.code ?? 128 + signalNumber(result.signal ?? undefined);
    return { reason: 'exited', exitCode, ...out };
  } finally {
    clearTimeout(timer);
    spec.signal.removeEventListener('abort', onAbort);
    child.stdout?.destroy();
    child.stderr?.destroy();
    (child.stdio[3] as Writable | null | undefined)?.destroy();
  }
}

/**
 * Records the start while the gated script waits, then lets it run. Starting the shell costs
 * about as much as the commit, so the two overlap instead of following each other
 * (bench/engine/overhead.mjs). If the record fails, or the run was interrupted meanwhile, the
 * gate is closed unopened: the script exits without running a line of the author's.
 *
 * @returns whether the gate was opened (false: interrupted, nothing of the script ran)
 */
async function recordThenRelease(child: ChildProcess, spec: ProcessSpec): Promise<boolean> {
  const gate = child.stdio[3] as Writable | null;
  gate?.on('error', () => {}); // the shell already gone (EPIPE): its exit says why
  try {
    await spec.recordStart(child.pid);
  } catch (e) {
    gate?.destroy();
    throw e;
  }
  if (spec.signal.aborted) {
    gate?.destroy();
    return false;
  }
  gate?.end('go\n');
  return true;
}

function signalGroup(pid: number | undefined, sig: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, sig);
  } catch {
    // Already gone: nothing to kill.
  }
}

function signalNumber(sig: string | undefined): number {
  const table: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };
  return sig ? (table[sig] ?? 0) : 0;
}

/** Keeps the first KEEP_OUTPUT_BYTES of a stream; notes how much was dropped. */
class Capped {
  private parts: string[] = [];
  private size = 0;
  private dropped = 0;
  push(line: string): void {
    if (this.size + line.length + 1 > KEEP_OUTPUT_BYTES) {
      this.dropped += line.length + 1;
      return;
    }
    this.parts.push(line);
    this.size += line.length + 1;
  }
  text(): string {
    const body = this.parts.join('\n');
    return this.dropped ? `${body}\n[shipgate: ${this.dropped} more bytes not kept in memory; see the log artifact]` : body;
  }
}
