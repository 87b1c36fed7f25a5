import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';

/**
 * Runs the CLI in-process with its own streams. stdin is not a TTY unless `tty` is given, in
 * which case it behaves as a terminal that types `input`.
 */
export async function runCli(argv: string[], cwd: string, env: Record<string, string | undefined> = {}, tty?: { input: string }): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  if (tty) {
    stdin.isTTY = true;
    stdin.end(tty.input);
  }
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await main(argv, { cwd, env: { PATH: process.env.PATH, SHIPGATE_ACTOR: 'tester@example.com', ...env }, stdout, stderr, stdin, color: false });
  return { code, stdout: out, stderr: err };
}
