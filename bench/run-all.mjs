// `npm run bench`: the benchmarks that need nothing but this checkout, one after another, each
// printing its own figures. The ones that need a corpus or a large database are listed with the
// command that runs them (see bench/RESULTS*.md for what each measures).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const SELF_CONTAINED = [
  ['engine/overhead.mjs', '7'],
  ['engine/cold-start.mjs', '15'],
  ['engine/fixed-vs-per-step.mjs'],
  ['store/ledger-append.mjs'],
  ['runbook/validate-text.mjs'],
  ['checks/latency-agreement.mjs'],
];
const NEED_SETUP = [
  'node bench/audit/grep-vs-rg.mjs CORPUS_DIR   (a large checkout, e.g. webpack, outside this project; apt-get install ripgrep)',
  'node bench/audit/history-exposure.mjs GIT_DIR   (a git history of ≥ 10,000 commits)',
  'node bench/data/sqlite-backup.mjs   (a 1 GB SQLite database; see bench/data/README.md)',
  'node bench/data/postgres-backup.mjs   (pgbench -s 20 on the local Postgres; see bench/data/README.md)',
  'node bench/analysis/lint-vs-squawk.mjs --source DIR --squawk PATH   (squawk; a migrations corpus, or a synthetic one without --source)',
  'node bench/checks/monitor-cpu.mjs 60 3   (a minute per run)',
];

let failed = 0;
for (const [file, ...args] of SELF_CONTAINED) {
  console.log(`\n## node bench/${file} ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [join(here, file), ...args], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`(exited ${r.status ?? r.signal})`);
  }
}
console.log('\nNot run here (they need setup):');
for (const line of NEED_SETUP) console.log(`  ${line}`);
process.exitCode = failed ? 1 : 0;
