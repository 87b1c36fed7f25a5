import { parentPort, workerData } from 'node:worker_threads';
import { buildMatchers, searchClaimed, unpackTasks, type PackedTasks } from './search-tasks.js';

/**
 * Worker thread entry. It is started before the file list exists (its start-up overlaps
 * `git ls-files`); then it receives the whole list once and claims files from the shared
 * counter alongside the main thread, with synchronous reads. workerData: { source, flags,
 * literals, maxLineBytes }.
 */
const data = workerData as { source: string; flags: string; literals?: string[]; maxLineBytes: number };
const m = buildMatchers(data.source, data.flags, data.literals);
parentPort?.on('message', ({ tasks, next }: { tasks: PackedTasks; next: SharedArrayBuffer }) => {
  parentPort?.postMessage(searchClaimed(unpackTasks(tasks), new Int32Array(next), m, data.maxLineBytes));
});
