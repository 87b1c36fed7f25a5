import { BINARY, CLEAN, FOLDED, LEFT, type NativeScanner } from './native-scan.js';
import type { Prefilter } from './required-literals.js';
import { binarySkip, CHUNK, countsAsSearched, searchFile, searchWhole, type Matchers } from './search-file.js';
import type { FileResult } from './types.js';
import type { TaskLike, Tally } from './search-tasks.js';

/**
 * Files per native call. The next slice is read on the native threads while this thread
 * searches the files the previous one kept, so the two overlap.
 */
const SLICE = 4096;

/**
 * Files the native side reads whole are smaller than this. The JavaScript search streams larger
 * ones in 256 KiB reads; read whole, they would cost their size in memory twice over (bytes and
 * decoded text).
 */
const WHOLE_MAX = 16 * 1024 * 1024;

/**
 * Searches `tasks` with the native pre-filter: native threads read every file and drop those
 * that cannot match; this thread runs the pattern over the bytes of the rest (searchWhole), and
 * opens itself only the files the scan left (errors, very large files: searchFile).
 * The results are the JavaScript search's, file for file (test/audit/grep-native.test.ts).
 */
export async function searchNative(scanner: NativeScanner, tasks: readonly TaskLike[], m: Matchers, prefilter: Prefilter, threads: number, maxLineBytes: number, signal?: AbortSignal): Promise<Tally> {
  const tally: Tally = { found: [], bytes: 0, searched: 0 };
  const literals = prefilter.literals.map((l) => Buffer.from(l));
  // A streamed file is skipped for a line of `maxLineBytes` or more only when it is that big (and
  // over one read), so a smaller file read whole gives the same result (search-file.ts scan).
  const wholeLimit = Math.min(Math.max(CHUNK, maxLineBytes), WHOLE_MAX);
  const start = (from: number): Promise<Scanned> => scanSlice(scanner, tasks, from, Math.min(tasks.length, from + SLICE), literals, prefilter.caseless, threads, wholeLimit);
  let pending = tasks.length ? start(0) : undefined;
  for (let from = 0; pending; from += SLICE) {
    const scanned = await pending;
    signal?.throwIfAborted();
    pending = from + SLICE < tasks.length ? start(from + SLICE) : undefined;
    collect(scanned, tasks, from, m, maxLineBytes, tally);
  }
  return tally;
}

interface Scanned {
  readonly status: Uint8Array;
  readonly size: Int32Array;
  readonly offset: Int32Array;
  readonly arenas: readonly Buffer[];
}

async function scanSlice(scanner: NativeScanner, tasks: readonly TaskLike[], from: number, to: number, literals: readonly Buffer[], caseless: number, threads: number, wholeLimit: number): Promise<Scanned> {
  const n = to - from;
  const noFollow = new Uint8Array(n);
  const open: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = tasks[from + i]!;
    if (t.listed) noFollow[i] = 1; // as searchFile: a symlink git listed fails with ELOOP
    open.push(t.open);
  }
  const joined = open.join('\0') + '\0';
  const paths = Buffer.from(joined);
  // Every character is one byte when the lengths agree (UTF-8 spends 2–4 on any other).
  const ascii = paths.length === joined.length;
  const starts = new Uint32Array(n);
  for (let i = 0, at = 0; i < n; i++) {
    starts[i] = at;
    at += (ascii ? open[i]!.length : Buffer.byteLength(open[i]!)) + 1;
  }
  const status = new Uint8Array(n).fill(LEFT);
  const size = new Int32Array(n);
  const offset = new Int32Array(n);
  const arenas = await scanner.scan(paths, starts, noFollow, literals, caseless, threads, status, size, offset, wholeLimit);
  return { status, size, offset, arenas };
}

function collect(s: Scanned, tasks: readonly TaskLike[], from: number, m: Matchers, maxLineBytes: number, tally: Tally): void {
  for (let i = 0; i < s.status.length; i++) {
    const code = s.status[i]!;
    if (code === CLEAN) {
      tally.bytes += s.size[i]!;
      tally.searched++;
      continue;
    }
    const t = tasks[from + i]!;
    const r = code === LEFT ? searchFile(t.open, t.display, m, maxLineBytes, t.listed) : code === BINARY ? binarySkip(t.display, s.offset[i]!, s.size[i]!) : searchKept(s, i, t.display, m);
    tally.bytes += r.bytes;
    if (countsAsSearched(r)) tally.searched++;
    if (r.skip || r.hits.length) tally.found.push({ ...r, index: from + i });
  }
}

/** A file the scan kept: its bytes, and for FOLDED their lower-cased copy right after them. */
function searchKept(s: Scanned, i: number, display: string, m: Matchers): FileResult {
  const code = s.status[i]!;
  const arena = s.arenas[code >> 4]!;
  const at = s.offset[i]!;
  const n = s.size[i]!;
  const folded = (code & 15) === FOLDED ? arena.subarray(at + n, at + 2 * n) : undefined;
  return searchWhole(arena.subarray(at, at + n), display, m, folded);
}
