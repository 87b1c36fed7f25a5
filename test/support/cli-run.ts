import { Writable, Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';

/** Runs the CLI in-process with captured streams; returns the exit code and everything written. */
export async function runCli(argv: string[], opts: { cwd: string; env?: Record<string, string | undefined> }): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) => new Writable({ write(chunk, _enc, cb) { append(String(chunk)); cb(); } });
  const io: CliIO = {
    cwd: opts.cwd,
    env: opts.env ?? { PATH: process.env.PATH, HOME: process.env.HOME, SHIPGATE_ACTOR: 'tester@example.com' },
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    stdin: Readable.from([]),
    color: false,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
