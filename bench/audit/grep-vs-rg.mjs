// audit/grep vs ripgrep on a large real tree: identical hits (sorted file:line sets) and wall time.
// Usage: node bench/audit/grep-vs-rg.mjs [CORPUS_DIR] [RUNS]   (default /work/wt/corpus-audit, 5)
// Both run as separate processes (node bin vs rg) so start-up is counted on both sides.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const corpus = process.argv[2] ?? '/work/wt/corpus-audit';
const runs = Number(process.argv[3] ?? 5);
const bin = join(import.meta.dirname, '..', '..', 'bin', 'shipgate.js');
if (!existsSync(corpus)) throw new Error(`no corpus at ${corpus}`);
const CASES = [
  { name: 'selenite alignment pattern', pattern: 'Selenite-dev|5174|8201|devselenite|dev\\.selenite|DEV_', paths: ['.'] },
  { name: 'literal, many hits', pattern: 'webpack', paths: ['.'] },
  { name: 'regex, function defs', pattern: 'function\\s+\\w+\\(', paths: ['lib', 'test'] },
  { name: 'TODO|FIXME', pattern: 'TODO|FIXME', paths: ['.'] },
];

function time(cmd, args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: corpus, maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, out: r.stdout.toString(), code: r.status };
}
const set = (out, strip) => new Set(out.split('\n').filter(Boolean).map((l) => l.replace(/^\.\//, '').split(':').slice(0, 2).join(':')));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: corpus, maxBuffer: 1 << 30 }).toString().split('\n').filter(Boolean).length;
console.log(`corpus ${corpus}: ${files} files (git ls-files -co --exclude-standard); ${runs} runs each, after one warm-up`);
for (const threads of [1, 2]) {
  for (const c of CASES) {
    const ours = ['audit', 'grep', c.pattern, ...c.paths, '--threads', String(threads)];
    time(process.execPath, [bin, ...ours]);
    time('rg', ['-n', c.pattern, ...c.paths]);
    const a = [];
    const b = [];
    let same = true;
    let hits = 0;
    for (let i = 0; i < runs; i++) {
      const x = time(process.execPath, [bin, ...ours]);
      const y = time('rg', ['-n', c.pattern, ...c.paths]);
      a.push(x.ms);
      b.push(y.ms);
      const sx = set(x.out);
      const sy = set(y.out);
      hits = sy.size;
      same &&= sx.size === sy.size && [...sx].every((k) => sy.has(k));
    }
    console.log(`threads=${threads}  ${c.name.padEnd(28)} hits=${String(hits).padStart(6)} identical=${same}  shipgate ${median(a).toFixed(0)}ms  rg ${median(b).toFixed(0)}ms  ratio ${(median(a) / median(b)).toFixed(2)}x`);
  }
}
