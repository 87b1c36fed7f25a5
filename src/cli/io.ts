import type { Readable, Writable } from 'node:stream';

/**
 * Everything a command may touch of the outside world. Library code receives these instead of
 * reaching for `process`, so tests can drive commands in-process with their own streams.
 */
export interface CliIO {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: Writable & { isTTY?: boolean; columns?: number };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly stdin: Readable & { isTTY?: boolean };
  /** Colour allowed: a TTY and NO_COLOR unset. */
  readonly color: boolean;
}

export function processIO(): CliIO {
  const env = process.env;
  return {
    cwd: process.cwd(),
    env,
    stdout: process.stdout,
    stderr: process.stderr,
    // On first use: creating process.stdin costs ~2 ms (a stream over fd 0), and only a prompt
    // reads it; `run` on a pipe or in CI never does.
    get stdin() {
      return process.stdin;
    },
    color: Boolean(process.stdout.isTTY) && !('NO_COLOR' in env) && env.TERM !== 'dumb',
  };
}
