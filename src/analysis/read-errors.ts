/**
 * Turning a failed file-system call on a migration path into a {@link UserError}: what failed
 * (the path as the user wrote it, relative to the runbook or the working folder), why, and what
 * to do next. A missing migrations folder is a configuration mistake, not a crash.
 */
import path from 'node:path';
import { UserError } from '../core/errors.js';

/** Error codes of Node's fs calls that mean "not there". */
const MISSING = new Set(['ENOENT', 'ENOTDIR']);

/** True when `e` is an fs error meaning the path does not exist. */
export function isMissingPath(e: unknown): boolean {
  return MISSING.has(String((e as NodeJS.ErrnoException | undefined)?.code ?? ''));
}

/**
 * The user error for a failed fs call on `abs`. `cwd` is the base paths are reported against;
 * `origin` says where the path came from (e.g. "migrations.dir in shipgate.yml"), when known.
 * Errors that are not fs errors are returned unchanged (they are bugs).
 */
export function pathError(e: unknown, abs: string, cwd: string, origin?: string): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string' || !code.startsWith('E')) return e;
  const shown = showPath(cwd, abs);
  const from = origin ? ` (${origin})` : '';
  if (MISSING.has(code)) {
    const hint = origin ? `mkdir -p ${shown}, or set ${origin} to the folder that holds the migrations` : `ls ${path.dirname(shown) || '.'}`;
    return new UserError('SG_MIGRATIONS_PATH_MISSING', `${shown}${from}: no such file or folder`, hint);
  }
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : `${code}: ${(e as Error).message.replace(/^[A-Z]+: /, '')}`;
  return new UserError('SG_MIGRATIONS_PATH_UNREADABLE', `${shown}${from}: cannot be read: ${why}`, `ls -ld ${shown}`);
}

/** `abs` relative to `cwd` (forward slashes), or absolute when outside it. */
export function showPath(cwd: string, abs: string): string {
  const r = path.relative(cwd, abs);
  if (r === '') return '.';
  return (r.startsWith('..') || path.isAbsolute(r) ? abs : r).split(path.sep).join('/');
}
