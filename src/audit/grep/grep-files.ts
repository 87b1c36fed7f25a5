import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileAllowlist, type Allowlist } from './allowlist.js';
import { compilePattern, toRegExp, type CompiledPattern } from './compile-pattern.js';
import { compareTasks, listFiles, walkInto, type ListOptions, type SearchTask } from './list-files.js';
import { requiredLiterals } from './required-literals.js';
import { DEFAULT_MAX_LINE_BYTES, searchFile, type Matchers } from './search-file.js';
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
   * Worker threads. Default: 1 (search on the calling thread) — measured faster than 2 workers
   * on the 2-core machines here (bench/RESULTS-audit.md); raise it on bigger machines.
   */
  readonly threads?: number;
  /** Skip a file whose line exceeds this. Default: 64 MiB. */
  readonly maxLineBytes?: number;
  /** Environment for the `git ls-files` children. Default: inherited. */
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
}

/**
 * Files per message to a worker: big, so messaging is amortised (batches of 64 were measured
 * slower than one thread), yet several per worker so one slow batch does not idle a core.
 */
const BATCH = 1024;

/**
 * Searches `paths` for `pattern` like `rg -n --column`, honouring ignore files and skipping
 * binaries, and splits hits into those that count and those the allowlist allows.
 *
 * @throws UserError SG_AUDIT_BAD_REGEX for an invalid pattern.
 */
export async function grepFiles(pattern: string, paths: readonly string[], opts: GrepOptions): Promise<GrepReport> {
  const compiled = compilePattern(pattern, { ignoreCase: opts.ignoreCase ?? false });
  const skips: GrepSkip[] = [];
  const listOpts: ListOptions = { cwd: opts.cwd, hidden: opts.hidden ?? false, respectIgnore: opts.respectIgnore ?? true, ...(opts.env ? { env: opts.env } : {}) };
  let tasks = await listFiles(paths, listOpts, skips);
  const maxLine = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const workerUrl = new URL('./grep-worker.js', import.meta.url);
  const notes = [...compiled.notes];
  let threads = Math.max(1, opts.threads ?? 1);
  if (threads > 1 && !existsSync(fileURLToPath(workerUrl))) {
    // Running from TypeScript sources (tests): the compiled worker is not there.
    notes.push(`worker threads unavailable here (no ${fileURLToPath(workerUrl)}); searched on one thread`);
    threads = 1;
  }
  const literals = requiredLiterals(compiled.jsSource, compiled.flags);
  const results: Found[] = [];
  // Two rounds at most: git lists a submodule as a file; opening it says EISDIR, and it is walked.
  while (tasks.length) {
    const found = threads === 1 ? searchHere(tasks, compiled, literals, maxLine, opts.signal) : await searchInWorkers(tasks, compiled, literals, maxLine, threads, workerUrl, opts.signal);
    const dirs: SearchTask[] = [];
    for (const r of found) {
      if (r.task.listed && r.errorCode === 'ENOENT') continue; // tracked, deleted from the work tree: rg does not see it
      if (r.task.listed && r.errorCode === 'EISDIR') dirs.push(r.task);
      else if (r.task.listed && r.errorCode === 'ELOOP') results.push({ ...r, skip: { file: r.file, reason: 'symlink', detail: 'symbolic links are not followed' } });
      else results.push(r);
    }
    tasks = [];
    for (const d of dirs) await walkInto(tasks, d.display, d.root, listOpts, skips);
  }
  const allowedBy = await compileAllowlist(opts.allow ?? {});
  return assembleReport(pattern, paths, results, skips, allowedBy, threads, notes);
}

/** A file's result and the task it answers. */
type Found = FileResult & { readonly task: SearchTask };

function matchersFor(p: CompiledPattern, literals: readonly string[] | undefined): Matchers {
  return { chunk: toRegExp(p, 'gm'), line: toRegExp(p), ...(literals ? { literals: literals.map((l) => Buffer.from(l)) } : {}) };
}

function searchHere(tasks: readonly SearchTask[], p: CompiledPattern, literals: readonly string[] | undefined, maxLine: number, signal?: AbortSignal): Found[] {
  const m = matchersFor(p, literals);
  const out: Found[] = [];
  for (const task of tasks) {
    signal?.throwIfAborted();
    out.push({ ...searchFile(task.abs, task.display, m, maxLine, task.listed), task });
  }
  return out;
}

/** Worker threads take slices of the file list; each searches with synchronous reads (grep-worker.ts). */
async function searchInWorkers(tasks: readonly SearchTask[], p: CompiledPattern, literals: readonly string[] | undefined, maxLine: number, n: number, url: URL, signal?: AbortSignal): Promise<Found[]> {
  const { Worker } = await import('node:worker_threads'); // only here: it is not free to load
  const out: Found[] = [];
  let next = 0;
  const workerData = { source: p.jsSource, flags: p.flags, literals, maxLineBytes: maxLine };
  const workers = Array.from({ length: n }, () => new Worker(url, { workerData }));
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const send = (): void => {
              if (signal?.aborted) return reject(signal.reason as Error);
              if (next >= tasks.length) return resolve();
              const from = next;
              next = Math.min(tasks.length, next + BATCH);
              w.postMessage({ from, batch: tasks.slice(from, next) });
            };
            w.on('message', ({ from, results }: { from: number; results: FileResult[] }) => {
              results.forEach((r, i) => out.push({ ...r, task: tasks[from + i]! }));
              send();
            });
            w.on('error', reject);
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}

function assembleReport(
  pattern: string,
  paths: readonly string[],
  results: Found[],
  listSkips: GrepSkip[],
  allowedBy: (h: GrepHit) => GrepHit['allowed'],
  threads: number,
  notes: string[],
): GrepReport {
  const hits: GrepHit[] = [];
  const allowed: GrepHit[] = [];
  const skipped = [...listSkips];
  let searched = 0;
  let bytes = 0;
  const shown: Found[] = [];
  for (const r of results) {
    bytes += r.bytes;
    if (r.skip) shown.push(r);
    else {
      searched++;
      if (r.hits.length) shown.push(r);
    }
  }
  // Walk order (each directory's entries by name), whatever order git listed files in or
  // workers answered; only files with something to show are sorted (most have nothing).
  shown.sort((a, b) => compareTasks(a.task, b.task));
  for (const r of shown) {
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
  return { pattern, paths, hits, allowed, skipped, filesSearched: searched, bytesSearched: bytes, threads, notes };
}
