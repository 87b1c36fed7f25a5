import { ExitCode } from '../../core/exit-codes.js';
import { unreachable } from '../../core/unreachable.js';
import type { RunStatus } from '../../store/records.js';

/** The CLI exit code for where a run came to rest (DESIGN.md §6). */
export function exitForRun(status: RunStatus): ExitCode {
  switch (status) {
    case 'succeeded':
      return ExitCode.Success;
    case 'failed':
    case 'rolled-back':
    case 'rollback-failed':
    case 'cancelled':
      return ExitCode.Failed;
    case 'waiting':
      return ExitCode.Waiting;
    case 'interrupted':
      return ExitCode.Interrupted;
    case 'running':
      return ExitCode.Failed; // never a resting point; a bug if seen here
    default:
      return unreachable(status);
  }
}
