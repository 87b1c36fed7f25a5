import { execa } from 'execa';
import { dataError } from './errors.js';

/** Result of a client tool (pg_dump, mysqldump…) that ran to completion. */
export interface ToolResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/**
 * Runs a client tool with execa: no shell, the caller's env (so PATH decides which binary),
 * the whole process tree killed on abort. A missing binary is a clear SG_DATA_TOOL_MISSING,
 * not an internal error.
 */
export async function runTool(
  file: string,
  args: readonly string[],
  opts: { env: Readonly<Record<string, string | undefined>>; signal: AbortSignal; cwd?: string; input?: string; stdoutFile?: string; stdinFile?: string },
): Promise<ToolResult> {
  try {
    const r = await execa(file, args, {
      env: opts.env as Record<string, string>,
      extendEnv: false,
      cancelSignal: opts.signal,
      forceKillAfterDelay: 2000,
      cleanup: true,
      reject: false,
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
      ...(opts.input !== undefined ? { input: opts.input } : {}),
      ...(opts.stdinFile ? { inputFile: opts.stdinFile } : {}),
      ...(opts.stdoutFile ? { stdout: { file: opts.stdoutFile } } : {}),
    });
    if (r.failed && r.exitCode === undefined) {
      if ((r as { code?: string }).code === 'ENOENT' || /ENOENT/.test(r.message ?? '')) throw missing(file, opts.env);
      if (r.isCanceled) throw dataError('SG_DATA_ABORTED', `${file} was cancelled`, 'run the command again');
      throw dataError('SG_DATA_TOOL_FAILED', `${file} could not run: ${r.shortMessage}`, `check that ${file} runs from this shell`);
    }
    return { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), exitCode: r.exitCode ?? 1 };
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') throw missing(file, opts.env);
    throw e;
  }
}

function missing(file: string, env: Readonly<Record<string, string | undefined>>): Error {
  return dataError(
    'SG_DATA_TOOL_MISSING',
    `${file} was not found on PATH (${env.PATH ?? '(PATH unset)'})`,
    `install the client tools (e.g. apt-get install postgresql-client / mariadb-client) or put ${file} on PATH`,
  );
}

/** Runs a tool and throws SG_DATA_TOOL_FAILED with its stderr when it exits non-zero. */
export async function runToolOk(file: string, args: readonly string[], opts: Parameters<typeof runTool>[2], what: string): Promise<ToolResult> {
  const r = await runTool(file, args, opts);
  if (r.exitCode !== 0) {
    throw dataError('SG_DATA_TOOL_FAILED', `${what}: ${file} exited ${r.exitCode}: ${lastLines(r.stderr)}`, `run ${file} by hand to see the whole output`);
  }
  return r;
}

export function lastLines(text: string, n = 5): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}
