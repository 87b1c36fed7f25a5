// Ledger append and step save throughput of the built store (dist/), against a reference that
// does the same SQL by hand with better-sqlite3 (same pragmas, same transaction, same hashing)
// in the same run. Usage: npm run build && node bench/store/ledger-append.mjs [N]
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../dist/store/open-store.js';
import { verifyLedger } from '../../dist/ledger/verify-ledger.js';

const N = Number(process.argv[2] ?? 2000);
const ROUNDS = 5;
const actor = { id: 'bench@example.com', via: 'system' };
const draft = (i) => ({ at: new Date(0).toISOString(), run: 'r-bench', step: 's', kind: 'step-finished', actor, data: { i, status: 'passed', summary: 'exit code 0' } });

async function storeAppends(databaseUrl) {
  const dir = mkdtempSync(join(tmpdir(), 'sg-bench-'));
  const store = await openStore({ stateDir: dir, databaseUrl });
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await store.appendLedger(draft(i));
  const ms = performance.now() - t0;
  const entries = await store.readLedger();
  const v0 = performance.now();
  const verdict = await verifyLedger(entries);
  const verifyMs = performance.now() - v0;
  if (!verdict.ok || verdict.count < N) throw new Error('bench ledger did not verify');
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { ms, verifyMs };
}

function referenceAppends() {
  const dir = mkdtempSync(join(tmpdir(), 'sg-bench-ref-'));
  const db = new Database(join(dir, 'ref.db'), { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE ledger (seq INTEGER PRIMARY KEY, at TEXT, run_id TEXT, step_id TEXT, kind TEXT, actor_json TEXT, data_json TEXT, prev TEXT, hash TEXT UNIQUE)');
  const head = db.prepare('SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare('INSERT INTO ledger VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    db.exec('BEGIN IMMEDIATE');
    const h = head.get() ?? { seq: 0, hash: '0'.repeat(64) };
    const d = draft(i);
    const body = JSON.stringify({ actor: d.actor, at: d.at, data: d.data, kind: d.kind, prev: h.hash, run: d.run, seq: h.seq + 1, step: d.step });
    const hash = createHash('sha256').update(h.hash + body).digest('hex');
    insert.run(h.seq + 1, d.at, d.run, d.step, d.kind, JSON.stringify(d.actor), JSON.stringify(d.data), h.hash, hash);
    db.exec('COMMIT');
  }
  const ms = performance.now() - t0;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

async function withSchema(baseUrl, schema, fn) {
  const u = new URL(baseUrl);
  u.searchParams.set('schema', schema);
  try {
    return await fn(u.toString());
  } finally {
    const { default: pg } = await import('pg');
    const c = new pg.Client({ connectionString: baseUrl });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const store = [], ref = [], verify = [], pg = [];
// e.g. postgres://postgres@127.0.0.1:5432/postgres — each round uses a fresh schema, dropped after.
const pgUrl = process.env.SHIPGATE_BENCH_PG_URL;
for (let r = 0; r < ROUNDS; r++) {
  ref.push(referenceAppends());
  const s = await storeAppends(undefined);
  store.push(s.ms);
  verify.push(s.verifyMs);
  if (pgUrl) pg.push(await withSchema(pgUrl, `sg_bench_${process.pid}_${r}`, async (url) => (await storeAppends(url)).ms));
}
const f = (ms) => `${ms.toFixed(0)} ms (${((N / ms) * 1000).toFixed(0)}/s)`;
console.log(`N=${N} appends, median of ${ROUNDS}`);
console.log(`reference (hand-written better-sqlite3): ${f(median(ref))}`);
console.log(`store.appendLedger (SQLite):             ${f(median(store))}  ratio ${(median(store) / median(ref)).toFixed(2)}x`);
console.log(`verifyLedger over ${N} entries:          ${median(verify).toFixed(0)} ms`);
if (pgUrl) console.log(`store.appendLedger (Postgres):           ${f(median(pg))}`);
