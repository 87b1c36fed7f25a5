import { countsAsSearched, searchFile, type Matchers } from './search-file.js';
import type { FileResult } from './types.js';

/** What a thread needs to know about a file (list-files.ts SearchTask, minus ordering). */
export interface TaskLike {
  /** Relative to the process's working directory, or absolute (list-files.ts SearchTask). */
  readonly open: string;
  readonly display: string;
  readonly listed: boolean;
}

/** One thread's share: files with hits or a skip (most files have neither), and totals. */
export interface Tally {
  readonly found: Array<FileResult & { readonly index: number }>;
  bytes: number;
  searched: number;
}

/**
 * Files claimed per step. Threads claim from a shared counter (Atomics), so they balance
 * themselves without a message per batch; 64 small files are ~1 ms of work.
 */
const CLAIM = 64;

/**
 * Searches the files claimed from `next[0]` until none are left. The main thread and every
 * worker run this on the same list with the same counter (a SharedArrayBuffer); with one
 * thread it is a plain loop. Only interesting results are kept: keeping 13k empty results
 * alive was a visible share of garbage-collection time.
 */
export function searchClaimed(tasks: readonly TaskLike[], next: Int32Array, m: Matchers, maxLineBytes: number, signal?: AbortSignal): Tally {
  const tally: Tally = { found: [], bytes: 0, searched: 0 };
  for (let from = Atomics.add(next, 0, CLAIM); from < tasks.length; from = Atomics.add(next, 0, CLAIM)) {
    signal?.throwIfAborted();
    const to = Math.min(tasks.length, from + CLAIM);
    for (let i = from; i < to; i++) {
      const t = tasks[i]!;
      const r = searchFile(t.open, t.display, m, maxLineBytes, t.listed);
      tally.bytes += r.bytes;
      if (countsAsSearched(r)) tally.searched++;
      if (r.skip || r.hits.length) tally.found.push({ ...r, index: i });
    }
  }
  return tally;
}

/** The matchers for a compiled pattern (the worker rebuilds them from the same strings). */
export function buildMatchers(source: string, flags: string, literals: readonly string[] | undefined): Matchers {
  return {
    chunk: new RegExp(source, flags + 'gm'),
    line: new RegExp(source, flags),
    lineFrom: new RegExp(source, flags + 'g'),
    ...(literals ? { literals: literals.map((l) => Buffer.from(l)) } : {}),
    ...(/\(\?<?[=!]/.test(source) ? { perLine: true } : {}),
  };
}

/**
 * The task list as three flat values for a worker: structured-cloning 17k small objects cost the
 * main thread more than the worker then saved (measured); two joined strings clone as copies.
 * Paths cannot contain NUL, so it separates them.
 */
export interface PackedTasks {
  /** Paths to open; undefined when each is its displayed path (`audit grep PATTERN .`). */
  readonly open?: string;
  readonly display: string;
  readonly listed: Uint8Array;
}

export function packTasks(tasks: readonly TaskLike[]): PackedTasks {
  const listed = new Uint8Array(tasks.length);
  let same = true;
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i]!;
    if (t.listed) listed[i] = 1;
    if (t.open !== t.display) same = false;
  }
  const display = tasks.map((t) => t.display).join('\0');
  return same ? { display, listed } : { open: tasks.map((t) => t.open).join('\0'), display, listed };
}

export function unpackTasks(p: PackedTasks): TaskLike[] {
  if (p.listed.length === 0) return [];
  const display = p.display.split('\0');
  const open = p.open === undefined ? display : p.open.split('\0');
  return display.map((d, i) => ({ open: open[i]!, display: d, listed: p.listed[i] === 1 }));
}
