// Shared helpers for the data benchmarks: timing child processes with /usr/bin/time -v (wall
// clock + peak RSS), medians, and a plain in-memory evidence log for the library runs.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

/** Runs argv under /usr/bin/time -v; returns wall ms (measured here) and peak RSS in MB. */
export function timed(argv, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', ...argv], { encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
  return { ms, rssMb: rss, stdout: r.stdout };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function machine() {
  return {
    nproc: cpus().length,
    memGb: (totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    free: execFileSync('free', ['-h'], { encoding: 'utf8' }).split('\n')[1]?.replace(/\s+/g, ' '),
    date: new Date().toISOString(),
  };
}

export function memoryEvidence() {
  const entries = [];
  return {
    entries,
    async record(kind, data) {
      const e = { seq: entries.length + 1, kind, data, at: new Date().toISOString(), run: null, step: null, actor: { id: 'bench', via: 'system' }, prev: '', hash: '' };
      entries.push(e);
      return e;
    },
    async find(f) {
      return entries.filter((e) => !f.kind || e.kind === f.kind);
    },
  };
}
