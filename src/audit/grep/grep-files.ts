import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileAllowlist, type Allowlist } from './allowlist.js';
import { compilePattern } from './compile-pattern.js';
import { listFiles, orderKey, walkInto, type ListOptions, type SearchTask } from './list-files.js';
import { requiredLiterals } from './required-literals.js';
import { DEFAULT_MAX_LINE_BYTES } from './search-file.js';
import { searchTasks, startPool, stopPool } from './search-pool.js';
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
   * Search threads: the calling thread plus `threads - 1` workers, all taking files from one
   * list. Default: 1 (the calling thread alone); see bench/RESULTS-audit.md for the measurements.
   */
  readonly threads?: number;
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
  let threads = Math.max(1, opts.threads ?? 1);
  if (threads > 1 && !existsSync(fileURLToPath(workerUrl))) {
    // Running from TypeScript sources (tests): the compiled worker is not there.
    notes.push(`worker threads unavailable here (no ${fileURLToPath(workerUrl)}); searched on one thread`);
    threads = 1;
  }
  const pool = threads > 1 ? await startPool(threads - 1, workerUrl, compiled, literals, maxLine) : undefined;
  try {
    const skips: GrepSkip[] = [];
    const listOpts: ListOptions = { cwd: opts.cwd, hidden: opts.hidden ?? false, respectIgnore: opts.respectIgnore ?? true, ...(opts.env ? { env: opts.env } : {}) };
    let tasks = await listFiles(paths, listOpts, skips);
    const found: Found[] = [];
    let bytes = 0;
    let searched = 0;
    // Two rounds at most: git lists a submodule as a file; opening it says EISDIR, and it is
    // walked (on this thread: the pool has taken its one list).
    for (let round = 0; tasks.length; round++) {
      const tallies = await searchTasks(tasks, compiled, literals, maxLine, round === 0 ? pool : undefined, opts.signal);
      const dirs: SearchTask[] = [];
      for (const t of tallies) {
        bytes += t.bytes;
        searched += t.searched;
        for (const r of t.found) {
          const task = tasks[r.index]!;
          if (task.listed && r.errorCode === 'ENOENT') continue; // tracked, deleted from the work tree: rg does not see it
          if (task.listed && r.errorCode === 'EISDIR') dirs.push(task);
          else if (task.listed && r.errorCode === 'ELOOP') found.push({ ...r, task, skip: { file: r.file, reason: 'symlink', detail: 'symbolic links are not followed' } });
          else found.push({ ...r, task });
        }
      }
      tasks = [];
      for (const d of dirs) await walkInto(tasks, d.display, d.root, listOpts, skips);
    }
    const allowedBy = await compileAllowlist(opts.allow ?? {});
    return assembleReport(pattern, paths, found, skips, { bytes, searched }, allowedBy, threads, notes);
  } finally {
    await stopPool(pool);
  }
}

/** A file with hits or a skip, and the task it answers. */
type Found = FileResult & { readonly task: SearchTask };

function assembleReport(
  pattern: string,
  paths: readonly string[],
  found: Found[],
  listSkips: GrepSkip[],
  totals: { bytes: number; searched: number },
  allowedBy: (h: GrepHit) => GrepHit['allowed'],
  threads: number,
  notes: string[],
): GrepReport {
  const hits: GrepHit[] = [];
  const allowed: GrepHit[] = [];
  const skipped = [...listSkips];
  // Walk order (each directory's entries by name), whatever order git listed files in or
  // threads finished them. Keys are computed once (building them in the comparator cost ~20 ms).
  const ordered = found.map((r) => ({ key: orderKey(r.task), r }));
  ordered.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const { r } of ordered) {
    if (r.skip) {
      skipped.push(r.skip);
      continue;
    }
    for (const h of r.hits) {
      const a = allowedBy(h);
      if (a) allowed.push({ ...h, allowed: a });
      else hits.push(h);
    }
  }
  return { pattern, paths, hits, allowed, skipped, filesSearched: totals.searched, bytesSearched: totals.bytes, threads, notes };
}
