import { lstatSync } from 'node:fs';
import type { GrepSkip } from './types.js';

/**
 * Why a path that was asked for (an argument, or `paths:`) could not be searched. A path that
 * does not exist is `missing`, not `unreadable`: "fix the permissions" sent people looking for a
 * permission problem on a folder that was never there (the seed runbook's `frontend`).
 */
export function givenPathSkip(given: string, abs: string, e: unknown): GrepSkip {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    // A dangling symlink stats as ENOENT too, but it is there: that stays `unreadable`.
    try {
      lstatSync(abs);
    } catch {
      return { file: given, reason: 'missing', detail: 'no such file or directory' };
    }
  }
  return { file: given, reason: 'unreadable', detail: (e as Error).message };
}
