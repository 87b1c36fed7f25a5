import { parentPort, workerData } from 'node:worker_threads';
import { searchFile, type Matchers } from './search-file.js';
import type { FileTask } from './walk-files.js';

/**
 * Worker thread entry: receives batches of files, searches them, posts the results back.
 * workerData: { source, flags, maxLineBytes }.
 */
const data = workerData as { source: string; flags: string; maxLineBytes: number };
const m: Matchers = { chunk: new RegExp(data.source, data.flags + 'gm'), line: new RegExp(data.source, data.flags) };
parentPort?.on('message', (batch: Array<FileTask & { index: number }> | null) => {
  if (batch === null) {
    parentPort?.close();
    return;
  }
  parentPort?.postMessage(batch.map((t) => ({ ...searchFile(t.abs, t.display, m, data.maxLineBytes), index: t.index })));
});
