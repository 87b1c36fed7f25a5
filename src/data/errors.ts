import { UserError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';

/**
 * The data library's user-facing errors. Each names what failed and where, and the next command.
 * All exit 1 (a failed operation) except where a caller passes otherwise.
 */
export function dataError(code: string, message: string, hint: string, details?: Record<string, unknown>): UserError {
  return new UserError(code, message, hint, ExitCode.Failed, details);
}
