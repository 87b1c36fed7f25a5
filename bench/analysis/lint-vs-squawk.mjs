// Benchmark: `shipgate migrations lint` vs squawk on the same ~5 MB Postgres file.
//
//   node bench/analysis/lint-vs-squawk.mjs [--source DIR] [--squawk PATH] [--runs N] [--mb N]
//
// --source: a Prisma migrations folder (e.g. the ChefCloud corpus, kept OUTSIDE the repo);
// its migration.sql files are concatenated, repeatedly, to ~N MB in bench/.work/ (gitignored).
// Without --source, a synthetic corpus of mixed DDL is generated. Both tools run as child
// processes (start-up included), measured by /usr/bin/time (wall time, peak RSS). Median of
// --runs runs (default 5). Runs against the BUILT dist/ (npm run build first).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, existsSync, writeFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const opt = (n, d) => {
  const i = args.indexOf(n);
  return i >= 0 ? args[i + 1] : d;
};
const squawk = opt('--squawk', process.env.SQUAWK ?? 'squawk');
const runs = Number(opt('--runs', '5'));
const targetMb = Number(opt('--mb', '5'));
const source = opt('--source', undefined);

const work = path.join(root, 'bench/.work');
mkdirSync(work, { recursive: true });
const file = path.join(work, 'corpus.sql');

function buildCorpus() {
  let unit;
  if (source) {
    const parts = [];
    for (const d of readdirSync(source).sort()) {
      const f = path.join(source, d, 'migration.sql');
      if (existsSync(f)) parts.push(readFileSync(f, 'utf8'));
    }
    unit = parts.join('\n;\n');
  } else {
    const s = [];
    for (let i = 0; i < 200; i++) {
      s.push(`CREATE TABLE t${i} (id bigserial PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now());`);
      s.push(`CREATE INDEX t${i}_name_idx ON t${i} (name);`);
      s.push(`ALTER TABLE t${i} ADD COLUMN note varchar(200);`);
      s.push(`ALTER TABLE t${i} ADD CONSTRAINT t${i}_fk FOREIGN KEY (id) REFERENCES t0 (id);`);
      s.push(`ALTER TABLE t${i} DROP COLUMN note;`);
      s.push(`ALTER TABLE t${i} ALTER COLUMN name TYPE varchar(100);`);
      s.push(`UPDATE t${i} SET name = 'x' WHERE name IS NULL;`);
    }
    unit = s.join('\n');
  }
  const copies = Math.max(1, Math.ceil((targetMb * 1024 * 1024) / Buffer.byteLength(unit)));
  writeFileSync(file, Array.from({ length: copies }, () => unit).join('\n;\n'));
  return copies;
}

function measure(cmd, argv) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...argv], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const last = r.stderr.trim().split('\n').pop();
  const [wall, kb] = last.split(' ').map(Number);
  return { wall, rssMb: kb / 1024, status: r.status, stdoutBytes: r.stdout.length };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const copies = buildCorpus();
const size = statSync(file).size;
const shipgateArgv = [path.join(root, 'bin/shipgate.js'), 'migrations', 'lint', file, '--tool', 'sql', '--dialect', 'postgres', '--format', 'json', '--fail-on', 'never'];
const squawkArgv = ['--reporter', 'json', file];
const sg = [];
const sq = [];
for (let i = 0; i < runs; i++) {
  sg.push(measure(process.execPath, shipgateArgv));
  sq.push(measure(squawk, squawkArgv));
}
const sgWall = median(sg.map((r) => r.wall));
const sqWall = median(sq.map((r) => r.wall));
const out = {
  date: new Date().toISOString(),
  machine: `nproc ${execFileSync('nproc').toString().trim()}, node ${process.version}`,
  corpus: `${source ? `concatenated ${path.basename(path.dirname(source))} migrations` : 'synthetic DDL'} ×${copies}, ${(size / 1024 / 1024).toFixed(2)} MB`,
  runs,
  shipgate: { wallMedianS: sgWall, peakRssMb: Math.max(...sg.map((r) => r.rssMb)).toFixed(0), walls: sg.map((r) => r.wall), exit: sg[0].status },
  squawk: { wallMedianS: sqWall, peakRssMb: Math.max(...sq.map((r) => r.rssMb)).toFixed(0), walls: sq.map((r) => r.wall), exit: sq[0].status },
  ratio: (sgWall / sqWall).toFixed(2),
};
console.log(JSON.stringify(out, null, 2));
