import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { compileAllowlist, type Allowlist } from './allowlist.js';
import { compilePattern } from './compile-pattern.js';
import { listFiles, orderKey, walked, type ListOptions, type SearchTask } from './list-files.js';
import { nativeScanner } from './native-scan.js';
import { prefilterFor, requiredLiterals } from './required-literals.js';
import { countsAsSearched, DEFAULT_MAX_LINE_BYTES } from './search-file.js';
import { searchNative } from './search-native.js';
import { searchTasks, startPool, stopPool } from './search-pool.js';
import { buildMatchers } from './search-tasks.js';
import type { FileResult, GrepHit, GrepReport, GrepSkip } from './types.js';

export interface GrepOptions {
  readonly cwd: string;
  /** Allowlist: globs and the inline `shipgate: allow` marker. Default: marker only. */
  readonly allow?: Allowlist;
  readonly ignoreCase?: boolean;
  /** Search hidden files. Default: false (as rg). */
  readonly hidden?: boolean;
  /** Honour ignore files. Default: true. */
  readonly respectIgnore?: boolean;
  /**
   * Reading threads. With the native pre-filter (native-scan.ts): native threads, default one
   * per core up to 4. Without it: the calling thread plus `threads - 1` workers, all taking
   * files from one list, default 1 (the calling thread alone). bench/RESULTS-audit.md has the
   * measurements.
   */
  readonly threads?: number;
  /** Use the native pre-filter where it is built. Default: true (unless SHIPGATE_GREP_NATIVE=0). */
  readonly native?: boolean;
  /** Skip a file whose line exceeds this. Default: 64 MiB. */
  readonly maxLineBytes?: number;
  /** Environment for the `git ls-files` children. Default: inherited. */
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
}

/**
 * Searches `paths` for `pattern` like `rg -n --column`, honouring ignore files and skipping
 * binaries, and splits hits into those that count and those the allowlist allows.
 *
 * @throws UserError SG_AUDIT_BAD_REGEX for an invalid pattern.
 */
export async function grepFiles(pattern: string, paths: readonly string[], opts: GrepOptions): Promise<GrepReport> {
  const compiled = compilePattern(pattern, { ignoreCase: opts.ignoreCase ?? false });
  const literals = requiredLiterals(compiled.jsSource, compiled.flags);
  const maxLine = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const workerUrl = new URL('./grep-worker.js', import.meta.url);
  const notes = [...compiled.notes];
  // The native pre-filter needs literals to look for; a pattern without any is searched in
  // JavaScript alone (the pre-filter would hand back every file).
  const prefilter = prefilterFor(compiled.jsSource, compiled.flags);
  const scanner = prefilter && opts.native !== false ? nativeScanner() : undefined;
  let threads = Math.max(1, opts.threads ?? (scanner ? Math.min(4, availableParallelism()) : 1));
  // Native threads come from libuv's pool (4 unless UV_THREADPOOL_SIZE says more; the addon takes
  // up to 16): more would wait for a free one, so the report says how many could read at once.
  if (scanner) threads = Math.min(threads, 16, Number(process.env.UV_THREADPOOL_SIZE) || 4);
  if (!scanner && threads > 1 && !existsSync(fileURLToPath(workerUrl))) {
    // Running from TypeScript sources (tests): the compiled worker is not there.
    notes.push(`worker threads unavailable here (no ${fileURLToPath(workerUrl)}); searched on one thread`);
    threads = 1;
  }
  const skips: GrepSkip[] = [];
  const listOpts: ListOptions = { cwd: opts.cwd, hidden: opts.hidden ?? false, respectIgnore: opts.respectIgnore ?? true, ...(opts.env ? { env: opts.env } : {}) };
  // The listing starts first (its `git ls-files` children are the longest wait), then the
  // workers, whose start-up (~30 ms each) overlaps it.
  const listing = listFiles(paths, listOpts, skips);
  const first = listing.next();
  first.catch(() => undefined); // awaited below, after the workers start; not unhandled meanwhile
  // Built once for every batch (the JavaScript path builds its own in searchTasks and the workers).
  const matchers = scanner ? { ...buildMatchers(compiled.jsSource, compiled.flags, literals), ...(prefilter!.caseless ? { foldedLiterals: prefilter!.literals.map((l) => Buffer.from(l)) } : {}) } : undefined;
  const pool = !scanner && threads > 1 ? await startPool(threads - 1, workerUrl, compiled, literals, maxLine) : undefined;
  try {
    let done: Searched[] = [];
    for (let step = await first; !step.done; step = await listing.next()) {
      const batch = step.value;
      if ('discard' in batch) {
        done = done.filter((s) => s.root !== batch.discard);
        continue;
      }
      if ('drop' in batch) {
        for (const s of done) if (s.root === batch.root) forget(s, batch.drop);
        continue;
      }
      // Git lists a submodule as a file; opening it says EISDIR, and it is walked, then searched.
      for (let tasks = batch.tasks; tasks.length; ) {
        const tallies = scanner ? [await searchNative(scanner, tasks, matchers!, prefilter!, threads, maxLine, opts.signal)] : await searchTasks(tasks, compiled, literals, maxLine, pool, opts.signal);
        const s: Searched = { root: batch.root, tasks, found: tallies.flatMap((t) => t.found), bytes: 0, searched: 0 };
        for (const t of tallies) {
          s.bytes += t.bytes;
          s.searched += t.searched;
        }
        done.push(s);
        const dirs = s.found.filter((r) => r.errorCode === 'EISDIR' && tasks[r.index]!.listed).map((r) => tasks[r.index]!);
        const next: SearchTask[] = [];
        for (const d of dirs) next.push(...(await walked(d.display, d.root, listOpts, skips)));
        tasks = next;
      }
    }
    const allowedBy = await compileAllowlist(opts.allow ?? {});
    return assembleReport(pattern, paths, done, skips, allowedBy, threads, notes);
  } finally {
    await listing.return(undefined);
    await stopPool(pool);
  }
}

/** One searched batch: its tasks, the files with hits or a skip, and totals. */
interface Searched {
  readonly root: number;
  readonly tasks: readonly SearchTask[];
  found: Array<FileResult & { readonly index: number }>;
  bytes: number;
  searched: number;
}

/**
 * Forgets files rg would not have searched (tracked but git-ignored), found out after they were
 * searched (see GitListing.trackedIgnored). A file without hits left no result, so its size is
 * what it added to the byte count. Rare: only force-added ignored files.
 */
function forget(s: Searched, drop: ReadonlySet<string>): void {
  const kept = new Map(s.found.map((r) => [r.index, r]));
  s.tasks.forEach((t, i) => {
    if (!drop.has(t.display)) return;
    const r = kept.get(i);
    if (r?.errorCode === 'ENOENT' || r?.errorCode === 'EISDIR') return; // counted nowhere
    s.bytes -= r ? r.bytes : sizeOf(t.open);
    if (!r || countsAsSearched(r)) s.searched--;
  });
  s.found = s.found.filter((r) => !drop.has(s.tasks[r.index]!.display));
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function assembleReport(
  pattern: string,
  paths: readonly string[],
  done: readonly Searched[],
  listSkips: GrepSkip[],
  allowedBy: (h: GrepHit) => GrepHit['allowed'],
  threads: number,
  notes: string[],
): GrepReport {
  const found: Array<{ key: string; r: FileResult }> = [];
  let bytes = 0;
  let searched = 0;
  for (const { tasks, found: rs, ...totals } of done) {
    bytes += totals.bytes;
    searched += totals.searched;
    for (const r of rs) {
      const task = tasks[r.index]!;
      // Files git listed that are not plain files here: deleted from the work tree (rg does not
      // see them), a submodule (walked above), or a symlink (rg does not follow it).
      if (task.listed && (r.errorCode === 'ENOENT' || r.errorCode === 'EISDIR')) continue;
      const skip = task.listed && r.errorCode === 'ELOOP' ? { ...r, skip: { file: r.file, reason: 'symlink' as const, detail: 'symbolic links are not followed' } } : r;
      found.push({ key: orderKey(task), r: skip });
    }
  }
  // Walk order (each directory's entries by name), whatever order git listed files in or
  // threads finished them. Keys are computed once (building them in the comparator cost ~20 ms).
  found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const hits: GrepHit[] = [];
  const allowed: GrepHit[] = [];
  const skipped = [...listSkips];
  for (const { r } of found) {
    // A binary file is skipped from its first NUL byte on, and its hits before it still count.
    if (r.skip) skipped.push(r.skip);
    for (const h of r.hits) {
      const a = allowedBy(h);
      if (a) allowed.push({ ...h, allowed: a });
      else hits.push(h);
    }
  }
  return { pattern, paths, hits, allowed, skipped, filesSearched: searched, bytesSearched: bytes, threads, notes };
}
