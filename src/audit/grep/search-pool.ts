import type { CompiledPattern } from './compile-pattern.js';
import { buildMatchers, packTasks, searchClaimed, type TaskLike, type Tally } from './search-tasks.js';

/** Started worker threads, waiting for the file list. */
export interface SearchPool {
  readonly workers: readonly import('node:worker_threads').Worker[];
}

/**
 * Starts `n` workers now, so their start-up (~30 ms of CPU each) overlaps the listing instead
 * of following it. `url` is the compiled grep-worker.js.
 */
export async function startPool(n: number, url: URL, p: CompiledPattern, literals: readonly string[] | undefined, maxLineBytes: number): Promise<SearchPool> {
  const { Worker } = await import('node:worker_threads'); // only here: not free to load
  const workerData = { source: p.jsSource, flags: p.flags, literals, maxLineBytes };
  return { workers: Array.from({ length: n }, () => new Worker(url, { workerData })) };
}

/**
 * Searches `tasks` on this thread and on the pool's workers together; every thread claims
 * files from one shared counter. Without a pool, this thread alone.
 */
export async function searchTasks(tasks: readonly TaskLike[], p: CompiledPattern, literals: readonly string[] | undefined, maxLineBytes: number, pool?: SearchPool, signal?: AbortSignal): Promise<Tally[]> {
  const next = new Int32Array(pool ? new SharedArrayBuffer(4) : new ArrayBuffer(4));
  const packed = pool?.workers.length ? packTasks(tasks) : undefined;
  const theirs = (pool?.workers ?? []).map(
    (w) =>
      new Promise<Tally>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
        w.postMessage({ tasks: packed, next: next.buffer });
      }),
  );
  const mine = searchClaimed(tasks, next, buildMatchers(p.jsSource, p.flags, literals), maxLineBytes, signal);
  return [mine, ...(await Promise.all(theirs))];
}

/** Stops the workers (always call it, also after an error). */
export async function stopPool(pool: SearchPool | undefined): Promise<void> {
  await Promise.all((pool?.workers ?? []).map((w) => w.terminate()));
}
