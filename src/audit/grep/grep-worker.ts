import { parentPort, workerData } from 'node:worker_threads';
import type { SearchTask } from './list-files.js';
import { searchFile, type Matchers } from './search-file.js';

/**
 * Worker thread entry: receives slices of the file list, searches them with synchronous reads,
 * posts the results back with the slice's start. workerData: { source, flags, literals, maxLineBytes }.
 */
const data = workerData as { source: string; flags: string; literals?: string[]; maxLineBytes: number };
const m: Matchers = {
  chunk: new RegExp(data.source, data.flags + 'gm'),
  line: new RegExp(data.source, data.flags),
  ...(data.literals ? { literals: data.literals.map((l) => Buffer.from(l)) } : {}),
};
parentPort?.on('message', ({ from, batch }: { from: number; batch: SearchTask[] }) => {
  parentPort?.postMessage({ from, results: batch.map((t) => searchFile(t.abs, t.display, m, data.maxLineBytes, t.listed)) });
});
