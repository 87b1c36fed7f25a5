import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { compileAllowlist, type Allowlist } from './allowlist.js';
import { compilePattern, toRegExp, type CompiledPattern } from './compile-pattern.js';
import { DEFAULT_MAX_LINE_BYTES, searchFile, type Matchers } from './search-file.js';
import type { FileResult, GrepHit, GrepReport, GrepSkip } from './types.js';
import { walkFiles, type FileTask } from './walk-files.js';

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
  readonly signal?: AbortSignal;
}

/** Files per message to a worker: large enough to amortise messaging, small enough to balance. */
const BATCH = 64;

/**
 * Searches `paths` for `pattern` like `rg -n --column`, honouring ignore files and skipping
 * binaries, and splits hits into those that count and those the allowlist allows.
 *
 * @throws UserError SG_AUDIT_BAD_REGEX for an invalid pattern.
 */
export async function grepFiles(pattern: string, paths: readonly string[], opts: GrepOptions): Promise<GrepReport> {
  const compiled = compilePattern(pattern, { ignoreCase: opts.ignoreCase ?? false });
  const skips: GrepSkip[] = [];
  const tasks = walkFiles(paths, { cwd: opts.cwd, hidden: opts.hidden ?? false, respectIgnore: opts.respectIgnore ?? true }, skips);
  const maxLine = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const workerUrl = new URL('./grep-worker.js', import.meta.url);
  const notes = [...compiled.notes];
  let threads = Math.max(1, opts.threads ?? 1);
  if (threads > 1 && !existsSync(fileURLToPath(workerUrl))) {
    // Running from TypeScript sources (tests): the compiled worker is not there.
    notes.push(`worker threads unavailable here (no ${fileURLToPath(workerUrl)}); searched on one thread`);
    threads = 1;
  }
  const results = threads === 1 ? searchHere(tasks, compiled, maxLine, opts.signal) : await searchInWorkers(tasks, compiled, maxLine, threads, workerUrl, opts.signal);
  return assembleReport(pattern, paths, results, skips, compileAllowlist(opts.allow ?? {}), threads, notes);
}

/** A file's result and its position in walk order. */
type Indexed = FileResult & { readonly index: number };

function searchHere(tasks: Iterable<FileTask>, p: CompiledPattern, maxLine: number, signal?: AbortSignal): Indexed[] {
  const m: Matchers = { chunk: toRegExp(p, 'gm'), line: toRegExp(p) };
  const out: Indexed[] = [];
  let i = 0;
  for (const t of tasks) {
    signal?.throwIfAborted();
    out.push({ ...searchFile(t.abs, t.display, m, maxLine), index: i++ });
  }
  return out;
}

async function searchInWorkers(tasks: Iterator<FileTask>, p: CompiledPattern, maxLine: number, n: number, url: URL, signal?: AbortSignal): Promise<Indexed[]> {
  const out: Indexed[] = [];
  let index = 0;
  const workers = Array.from({ length: n }, () => new Worker(url, { workerData: { source: p.jsSource, flags: p.flags, maxLineBytes: maxLine } }));
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const next = (): void => {
              if (signal?.aborted) return reject(signal.reason as Error);
              const batch: Array<FileTask & { index: number }> = [];
              for (let r = tasks.next(); !r.done; r = tasks.next()) {
                batch.push({ ...r.value, index: index++ });
                if (batch.length === BATCH) break;
              }
              if (batch.length === 0) return resolve();
              w.postMessage(batch);
            };
            w.on('message', (res: Indexed[]) => {
              out.push(...res);
              next();
            });
            w.on('error', reject);
            next();
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
  results: Indexed[],
  walkSkips: GrepSkip[],
  allowedBy: (h: GrepHit) => GrepHit['allowed'],
  threads: number,
  notes: string[],
): GrepReport {
  const hits: GrepHit[] = [];
  const allowed: GrepHit[] = [];
  const skipped = [...walkSkips];
  let searched = 0;
  let bytes = 0;
  // Results are in walk order (each directory's entries sorted by name); workers may return
  // batches out of order, so restore it by the index the walker gave each file.
  results.sort((a, b) => a.index - b.index);
  for (const r of results) {
    bytes += r.bytes;
    if (r.skip) {
      skipped.push(r.skip);
      continue;
    }
    searched++;
    for (const h of r.hits) {
      const a = allowedBy(h);
      if (a) allowed.push({ ...h, allowed: a });
      else hits.push(h);
    }
  }
  return { pattern, paths, hits, allowed, skipped, filesSearched: searched, bytesSearched: bytes, threads, notes };
}
