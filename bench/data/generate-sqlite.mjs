// Generates bench/.work/bench-1g.db (about 1 GB) once; later runs reuse it.
// Usage: node bench/data/generate-sqlite.mjs [targetMB=1024]
import Database from 'better-sqlite3';
import { existsSync, statSync, renameSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '.work');
const target = Number(process.argv[2] ?? 1024) * 1024 * 1024;
const file = join(root, 'bench-1g.db');
if (existsSync(file) && statSync(file).size >= target * 0.95) {
  console.log(`${file} exists (${statSync(file).size} bytes)`);
  process.exit(0);
}
const tmp = `${file}.partial`;
const db = new Database(tmp);
db.pragma('journal_mode = OFF');
db.pragma('synchronous = OFF');
db.exec('CREATE TABLE IF NOT EXISTS jobs (id INTEGER PRIMARY KEY, name TEXT, body BLOB, created INTEGER);CREATE TABLE IF NOT EXISTS tags (id INTEGER PRIMARY KEY, job INTEGER, tag TEXT);CREATE INDEX IF NOT EXISTS tags_job ON tags(job);');
const insJob = db.prepare('INSERT INTO jobs (name, body, created) VALUES (?, ?, ?)');
const insTag = db.prepare('INSERT INTO tags (job, tag) VALUES (?, ?)');
const batch = db.transaction((n) => {
  for (let i = 0; i < n; i++) {
    const r = insJob.run(`job-${i}`, randomBytes(900), Date.now());
    insTag.run(r.lastInsertRowid, `t${i % 97}`);
  }
});
while (statSync(tmp).size < target) batch(20000);
db.close();
renameSync(tmp, file);
console.log(`${file}: ${statSync(file).size} bytes`);
