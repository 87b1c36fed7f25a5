import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
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
 * files excluded — for secret values and token shapes.
 */
export function searchTree(cwd: string, needles: readonly Needle[], opts: { shapes: boolean; maxFileBytes?: number; allowFiles?: (f: string) => boolean }): { found: TreeExposure[]; skipped: GrepSkip[]; files: number } {
  const skipped: GrepSkip[] = [];
  const found: TreeExposure[] = [];
  const max = opts.maxFileBytes ?? DEFAULT_MAX_EXPOSURE_FILE;
  let files = 0;
  for (const t of walkFiles(['.'], { cwd, hidden: true, respectIgnore: true }, skipped)) {
    if (opts.allowFiles?.(t.display)) continue;
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
      for (const f of findInBuffer(buf.subarray(0, got), needles, opts.shapes)) found.push({ ...f, file: t.display });
    } catch (e) {
      skipped.push({ file: t.display, reason: 'unreadable', detail: (e as Error).message });
    } finally {
      closeSync(fd);
    }
  }
  return { found, skipped, files };
}
