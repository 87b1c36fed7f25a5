// SQLite, ~1 GB generated database: shipgate backup + verify vs the sqlite3 CLI doing the same
// work (.backup, PRAGMA integrity_check on the copy, sha256sum). Median of RUNS (default 3),
// alternating the two so neither gets a warmer cache. Needs `npm run build` and sqlite3.
// Usage: node bench/data/sqlite-backup.mjs [runs]
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, median, timed } from './support.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const work = join(here, '..', '.work');
const runs = Number(process.argv[2] ?? 3);
execFileSync('node', [join(here, 'generate-sqlite.mjs')], { stdio: 'inherit' });
const db = join(work, 'bench-1g.db');
const proj = join(work, 'sqlite-proj');
const ours = [];
const ref = [];
for (let i = 0; i < runs; i++) {
  rmSync(proj, { recursive: true, force: true });
  mkdirSync(proj, { recursive: true });
  const s = timed(['node', join(here, 'run-shipgate-once.mjs'), proj, JSON.stringify({ database: { kind: 'sqlite', path: db }, backups: 'backups', scratch: 'scratch' })]);
  ours.push({ ...s, detail: JSON.parse(s.stdout) });
  rmSync(proj, { recursive: true, force: true });
  mkdirSync(proj, { recursive: true });
  const copy = join(proj, 'copy.db');
  const a = timed(['sqlite3', db, `.backup '${copy}'`]);
  const b = timed(['sqlite3', copy, 'PRAGMA integrity_check;']);
  const c = timed(['sha256sum', copy]);
  // sha256sum (coreutils) is slow here; OpenSSL's SHA-256 (what Node uses) is the fairer hash.
  const d = timed(['openssl', 'dgst', '-sha256', copy]);
  ref.push({ ms: a.ms + b.ms + c.ms, msOpenssl: a.ms + b.ms + d.ms, rssMb: Math.max(a.rssMb, b.rssMb, c.rssMb), parts: [a.ms, b.ms, c.ms, d.ms] });
  console.log(`run ${i + 1}: shipgate ${(s.ms / 1000).toFixed(2)}s (${s.rssMb.toFixed(0)} MB) vs sqlite3 ${((a.ms + b.ms + c.ms) / 1000).toFixed(2)}s (with openssl instead of sha256sum: ${((a.ms + b.ms + d.ms) / 1000).toFixed(2)}s)`);
}
rmSync(proj, { recursive: true, force: true });
const m = { ours: median(ours.map((r) => r.ms)), ref: median(ref.map((r) => r.ms)), rss: Math.max(...ours.map((r) => r.rssMb)) };
console.log(JSON.stringify({ machine: machine(), runs, dbBytes: Number(execFileSync('stat', ['-c', '%s', db], { encoding: 'utf8' })), shipgateMedianMs: Math.round(m.ours), sqlite3MedianMs: Math.round(m.ref), ratio: +(m.ours / m.ref).toFixed(2), sqlite3OpensslMedianMs: Math.round(median(ref.map((r) => r.msOpenssl))), ratioVsOpenssl: +(m.ours / median(ref.map((r) => r.msOpenssl))).toFixed(2), shipgatePeakRssMb: Math.round(m.rss), sqlite3PeakRssMb: Math.round(Math.max(...ref.map((r) => r.rssMb))), shipgateRuns: ours.map((r) => ({ ms: Math.round(r.ms), rssMb: Math.round(r.rssMb), ...r.detail })), refRuns: ref.map((r) => ({ ms: Math.round(r.ms), msOpenssl: Math.round(r.msOpenssl), parts: r.parts.map(Math.round) })) }, null, 2));
