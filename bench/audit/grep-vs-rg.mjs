// audit/grep vs ripgrep on a large real tree: identical hits and wall time.
// Usage: node bench/audit/grep-vs-rg.mjs [CORPUS_DIR] [RUNS] [THREADS]
//   defaults: /work/wt/corpus-audit, 7 runs, threads "default" (comma-separated list of counts or `default`)
//   BASELINE_BIN=/path/to/other/bin/shipgate.js adds an earlier build, timed in the same rounds.
//   JS_BASELINE=1 adds this build with SHIPGATE_GREP_NATIVE=0 (the JavaScript search alone).
// Both run as separate processes (node bin vs rg) so start-up is counted on both sides; runs
// alternate shipgate and rg so both see the same load on a shared machine. Hits are compared
// twice: the `file:line` set of every timed `rg -n` run, and once (untimed) the
// `file:line:col` set against `rg -n --column`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const corpus = process.argv[2] ?? '/work/wt/corpus-audit';
const runs = Number(process.argv[3] ?? 7);
// `default` runs without --threads (what a user gets: one native thread per core, up to 4).
const threadList = (process.argv[4] ?? 'default').split(',').map((t) => (t === 'default' ? 0 : Number(t)));
const bin = join(import.meta.dirname, '..', '..', 'bin', 'shipgate.js');
const baseline = process.env.BASELINE_BIN;
if (!existsSync(corpus)) throw new Error(`no corpus at ${corpus}`);
const SELENITE = 'Selenite-dev|5174|8201|devselenite|dev\\.selenite|DEV_';
// Two folders of the tree for the case with explicit paths: webpack's lib and test, babel's packages.
const SUBDIRS = existsSync(join(corpus, 'packages')) ? ['packages'] : ['lib', 'test'];
const CASES = [
  { name: 'Selenite alignment pattern', rg: [SELENITE, '.'], ours: [SELENITE, '.'] },
  { name: 'literal `webpack`', rg: ['webpack', '.'], ours: ['webpack', '.'] },
  { name: '-i `todo` (case-insensitive)', rg: ['-i', 'todo', '.'], ours: ['todo', '.', '-i'] },
  { name: `\`function\\s+\\w+\\(\` in ${SUBDIRS.join(' ')}`, rg: ['function\\s+\\w+\\(', ...SUBDIRS], ours: ['function\\s+\\w+\\(', ...SUBDIRS] },
  { name: '`TODO|FIXME`', rg: ['TODO|FIXME', '.'], ours: ['TODO|FIXME', '.'] },
];

// CPU time of finished children (user + system), from /proc/self/stat (Linux; 10 ms ticks):
// less sensitive than wall time to other engineers' load on the shared cores.
const childCpuMs = () => {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) * 10; // cutime + cstime, in ticks of 10 ms (USER_HZ 100)
};
const jsOnly = process.env.JS_BASELINE === '1';
function time(cmd, args, env = process.env) {
  const c = childCpuMs();
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: corpus, env, maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, cpu: childCpuMs() - c, out: r.stdout.toString(), code: r.status };
}
// shipgate prints `file:line:col: text`, rg `./file:line:text` (or with --column `file:line:col:text`).
const keys = (out, n) => new Set(out.split('\n').filter(Boolean).map((l) => l.replace(/^\.\//, '').split(':').slice(0, n).join(':')));
const same = (a, b) => a.size === b.size && [...a].every((k) => b.has(k));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: corpus, maxBuffer: 1 << 30 }).toString().split('\n').filter(Boolean).length;
console.log(`corpus ${corpus}: ${files} files (git ls-files -co --exclude-standard); ${runs} runs each after one warm-up; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
for (const threads of threadList) {
  for (const c of CASES) {
    const ours = ['audit', 'grep', ...c.ours, ...(threads ? ['--threads', String(threads)] : [])];
    const cols = same(keys(time(process.execPath, [bin, ...ours]).out, 3), keys(time('rg', ['-n', '--column', ...c.rg]).out, 3));
    const a = [];
    const b = [];
    const ac = [];
    const bc = [];
    const before = [];
    const js = [];
    let ok = cols;
    let hits = 0;
    for (let i = 0; i < runs; i++) {
      const x = time(process.execPath, [bin, ...ours]);
      const y = time('rg', ['-n', ...c.rg]);
      if (baseline) before.push(time(process.execPath, [baseline, ...ours]).ms);
      if (jsOnly) {
        const j = time(process.execPath, [bin, ...ours], { ...process.env, SHIPGATE_GREP_NATIVE: '0' });
        js.push(j.ms);
        ok &&= same(keys(j.out, 2), keys(y.out, 2));
      }
      a.push(x.ms);
      b.push(y.ms);
      ac.push(x.cpu);
      bc.push(y.cpu);
      const sy = keys(y.out, 2);
      hits = sy.size;
      ok &&= same(keys(x.out, 2), sy);
    }
    console.log(`threads=${threads || 'default'}  ${c.name.padEnd(34)} hits=${String(hits).padStart(6)} identical=${ok}  shipgate ${median(a).toFixed(0)}ms  rg ${median(b).toFixed(0)}ms  ratio ${(median(a) / median(b)).toFixed(2)}x  | cpu shipgate ${median(ac)}ms rg ${median(bc)}ms${baseline ? `  | baseline ${median(before).toFixed(0)}ms ratio ${(median(before) / median(b)).toFixed(2)}x` : ''}${jsOnly ? `  | JavaScript alone ${median(js).toFixed(0)}ms ratio ${(median(js) / median(b)).toFixed(2)}x` : ''}`);
  }
}
console.log(`load average at the end ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
