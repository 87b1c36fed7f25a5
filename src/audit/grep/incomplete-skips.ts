import type { GrepSkip } from './types.js';

/**
 * Skips that leave the audit incomplete: a file that could not be read, or not read whole (a
 * line longer than the limit). A binary file, a symlink or a FIFO is skipped as rg skips it.
 */
export function incompleteSkips(skipped: readonly GrepSkip[]): GrepSkip[] {
  return skipped.filter((s) => s.reason === 'unreadable' || s.reason === 'line-too-long');
}
