import { ExitCode } from './exit-codes.js';

/**
 * A user-facing error: something the operator can act on. It carries a stable code (for docs
 * and scripts), a one-line cause, and the next command to run. The CLI prints it as
 *
 *   error SG_CODE: message
 *     → hint
 *
 * and exits with `exitCode`. Anything else thrown is a bug and is reported as such by the CLI.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    /** Stable code, `SG_` + upper snake case. */
    readonly code: string,
    message: string,
    /** The next command to run or thing to do. */
    readonly hint?: string,
    readonly exitCode: ExitCode = ExitCode.InvalidInput,
    /** Extra structured details for `--json` output. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const isUserError = (e: unknown): e is UserError => e instanceof UserError;
