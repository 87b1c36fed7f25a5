import { execFileSync } from 'node:child_process';
import { closeSync, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { GrepSkip } from '../grep/types.js';
import { walkFiles } from '../grep/walk-files.js';
import { findInBuffer, type Needle } from './find-in-buffer.js';

export interface TreeExposure {
  readonly what: string;
  readonly kind: 'value' | 'shape';
  readonly file: string;
  readonly line: number;
}

/** Files larger than this are skipped (with a reason) by the exposure search. Default: 64 MiB. */
export const DEFAULT_MAX_EXPOSURE_FILE = 64 * 1024 * 1024;

/**
 * Searches the working tree — what `git add -A` would commit: hidden files included, ignored
 * files excluded unless git tracks them (a tracked file stays committed whatever .gitignore
 * says) — for secret values and token shapes.
 */
export function searchTree(cwd: string, needles: readonly Needle[], opts: { shapes: boolean; maxFileBytes?: number; allowFiles?: (f: string) => boolean }): { found: TreeExposure[]; skipped: GrepSkip[]; files: number } {
  const skipped: GrepSkip[] = [];
  const found: TreeExposure[] = [];
  const max = opts.maxFileBytes ?? DEFAULT_MAX_EXPOSURE_FILE;
  let files = 0;
  for (const t of filesToSearch(cwd, skipped)) {
    // An allowed file (a test fixture) may hold token-shaped strings; never a real secret's value.
    const allowed = opts.allowFiles?.(t.display) ?? false;
    let fd: number;
    try {
      fd = openSync(t.abs, 'r');
    } catch (e) {
      skipped.push({ file: t.display, reason: 'unreadable', detail: (e as Error).message });
      continue;
    }
    try {
      const size = fstatSync(fd).size;
      if (size > max) {
        skipped.push({ file: t.display, reason: 'line-too-long', detail: `larger than ${max} bytes; not searched for secrets` });
        continue;
      }
      const buf = Buffer.allocUnsafe(size);
      let got = 0;
      while (got < size) {
        const n = readSync(fd, buf, got, size - got, got);
        if (n === 0) break;
        got += n;
      }
      files++;
      for (const f of findInBuffer(buf.subarray(0, got), needles, opts.shapes && !allowed)) found.push({ ...f, file: t.display });
    } catch (e) {
      skipped.push({ file: t.display, reason: 'unreadable', detail: (e as Error).message });
    } finally {
      closeSync(fd);
    }
  }
  return { found, skipped, files };
}

/**
 * The walk (not ignored, hidden included), then the files git tracks that the walk left out
 * because an ignore rule matches them (`.env` committed, then added to .gitignore).
 */
function* filesToSearch(cwd: string, skipped: GrepSkip[]): Generator<{ abs: string; display: string }> {
  const seen = new Set<string>();
  for (const t of walkFiles(['.'], { cwd, hidden: true, respectIgnore: true }, skipped)) {
    seen.add(t.display);
    yield t;
  }
  let tracked: string[];
  try {
    tracked = execFileSync('git', ['ls-files', '-z', '--cached'], { cwd, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] }).split('\0');
  } catch {
    return; // not a git work tree: the walk is all there is
  }
  for (const display of tracked) {
    if (!display || seen.has(display)) continue;
    const abs = join(cwd, display);
    // Regular files only: a deleted file, a symlink or a submodule is not content to search.
    if (lstatSync(abs, { throwIfNoEntry: false })?.isFile()) yield { abs, display };
  }
}
