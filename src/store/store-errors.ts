import { redactUrl } from '../core/redact-url.js';
import { ExitCode } from '../core/exit-codes.js';
import { UserError } from '../core/errors.js';

/**
 * The store's user-facing errors (a catalogue, as semantic-release keeps one). Each names the
 * file or URL, says why in one line, and gives the next command. Codes are stable.
 */
export const StoreErrorCode = {
  Corrupt: 'SG_STATE_CORRUPT',
  Busy: 'SG_STATE_BUSY',
  Unwritable: 'SG_STATE_UNWRITABLE',
  Unreachable: 'SG_STATE_UNREACHABLE',
  Missing: 'SG_STATE_MISSING',
  TooNew: 'SG_STATE_TOO_NEW',
  RunNotFound: 'SG_RUN_NOT_FOUND',
} as const;

export function stateCorrupt(file: string, why: string): UserError {
  return new UserError(
    StoreErrorCode.Corrupt,
    `state file ${file} is corrupt: ${why} (it was left untouched)`,
    `keep a copy (cp ${file} ${file}.bad), then run sqlite3 ${file} "PRAGMA integrity_check" or point --state at a fresh directory`,
    ExitCode.InvalidInput,
    { file },
  );
}

export function stateBusy(file: string, timeoutMs: number): UserError {
  return new UserError(
    StoreErrorCode.Busy,
    `state file ${file} is locked by another process (still busy after ${timeoutMs}ms)`,
    `wait for the other shipgate process to finish (shipgate runs), then retry; or find it with: fuser ${file}`,
    ExitCode.Failed,
    { file, timeoutMs },
  );
}

export function stateUnwritable(where: string, why: string): UserError {
  return new UserError(
    StoreErrorCode.Unwritable,
    `state directory ${where} is not writable: ${why}`,
    `fix its permissions, or choose another one with --state DIR (or SHIPGATE_STATE_DIR)`,
    ExitCode.InvalidInput,
    { dir: where },
  );
}

export function stateUnreachable(url: string, why: string): UserError {
  return new UserError(
    StoreErrorCode.Unreachable,
    `cannot connect to the state database ${url}: ${why}`,
    `check SHIPGATE_DATABASE_URL and that the server is up (pg_isready -d "${url}"), or unset it to use the local SQLite store`,
    ExitCode.Failed,
    { url },
  );
}

export function stateMissing(file: string): UserError {
  return new UserError(
    StoreErrorCode.Missing,
    `no shipgate state at ${file}: nothing has run here yet`,
    `pass --state DIR (or SHIPGATE_STATE_DIR) naming the directory of an earlier run, or start one: shipgate run --env NAME`,
    ExitCode.InvalidInput,
    { file },
  );
}

export function stateTooNew(where: string, found: number, known: number): UserError {
  return new UserError(
    StoreErrorCode.TooNew,
    `state ${where} has schema version ${found}, newer than this shipgate understands (${known})`,
    `upgrade shipgate (npm install shipgate@latest); migrations are forward-only, so the store was not changed`,
    ExitCode.InvalidInput,
    { found, known },
  );
}

export function runNotFound(id: string): UserError {
  return new UserError(StoreErrorCode.RunNotFound, `no run ${id} in the state store`, 'list the runs: shipgate runs', ExitCode.InvalidInput, {
    run: id,
  });
}

export { redactUrl };
