// Postgres, `pgbench -i -s 20` in a scratch database: shipgate backup + verify (pg_dump -Fd -j,
// pg_restore -j into a scratch database, exact row counts) vs a sequential reference doing the
// same work (pg_dump -Fc, createdb, pg_restore, count rows, dropdb). Median of RUNS (default 3),
// alternating. Needs `npm run build`, the local server and the client tools.
// Usage: node bench/data/postgres-backup.mjs [runs] [scale]
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, median, timed } from './support.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const work = join(here, '..', '.work');
const runs = Number(process.argv[2] ?? 3);
const scale = Number(process.argv[3] ?? 20);
const base = process.env.SHIPGATE_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const db = `sg_bench_${process.pid}`;
const url = base.replace(/\/[^/]*$/, `/${db}`);
const psql = (sql, target = base) => execFileSync('psql', ['-X', '-qAt', '-d', target, '-c', sql], { encoding: 'utf8' }).trim();

psql(`drop database if exists ${db}`);
psql(`create database ${db}`);
try {
  execFileSync('pgbench', ['-i', '-q', '-s', String(scale), '-d', url], { stdio: 'ignore' });
  const size = psql(`select pg_database_size('${db}')`);
  const ours = [];
  const ref = [];
  for (let i = 0; i < runs; i++) {
    const proj = join(work, 'pg-proj');
    rmSync(proj, { recursive: true, force: true });
    mkdirSync(proj, { recursive: true });
    const s = timed(['node', join(here, 'run-shipgate-once.mjs'), proj, JSON.stringify({ database: { kind: 'postgres', url }, backups: 'backups', scratch: 'scratch' }), url]);
    ours.push({ ...s, detail: JSON.parse(s.stdout) });
    rmSync(proj, { recursive: true, force: true });
    mkdirSync(proj, { recursive: true });
    const file = join(proj, 'dump.fc');
    const restoreDb = `sg_bench_ref_${process.pid}`;
    const restoreUrl = base.replace(/\/[^/]*$/, `/${restoreDb}`);
    const t0 = performance.now();
    execFileSync('pg_dump', ['-Fc', '-f', file, `--dbname=${url}`]);
    execFileSync('createdb', ['-h', new URL(base).hostname, '-U', new URL(base).username || 'postgres', restoreDb]);
    execFileSync('pg_restore', ['--no-owner', '-d', restoreUrl, file]);
    for (const t of ['pgbench_accounts', 'pgbench_branches', 'pgbench_tellers', 'pgbench_history']) psql(`select count(*) from ${t}`, restoreUrl);
    psql(`drop database ${restoreDb}`);
    const refMs = performance.now() - t0;
    ref.push(refMs);
    rmSync(proj, { recursive: true, force: true });
    console.log(`run ${i + 1}: shipgate ${(s.ms / 1000).toFixed(2)}s (${s.rssMb.toFixed(0)} MB) vs sequential ${(refMs / 1000).toFixed(2)}s`);
  }
  const m = { ours: median(ours.map((r) => r.ms)), ref: median(ref) };
  console.log(JSON.stringify({ machine: machine(), runs, scale, dbBytes: Number(size), shipgateMedianMs: Math.round(m.ours), referenceMedianMs: Math.round(m.ref), ratio: +(m.ours / m.ref).toFixed(2), shipgatePeakRssMb: Math.round(Math.max(...ours.map((r) => r.rssMb))), shipgateRuns: ours.map((r) => ({ ms: Math.round(r.ms), ...r.detail })), referenceRuns: ref.map(Math.round) }, null, 2));
} finally {
  psql(`drop database if exists ${db} with (force)`);
}
