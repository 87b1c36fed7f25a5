// Engine overhead: a runbook of 200 `true` steps through `shipgate run`, against a plain Node
// script that spawns the same 200 shell processes one after another. Goal: ratio ≤ 1.5.
// Usage: node bench/engine/overhead.mjs [runs=5]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, machine, median, timeCommand } from '../lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const runs = Number(process.argv[2] ?? 5);
const N = 200;
const dir = mkdtempSync(join(tmpdir(), 'sg-bench-engine-'));
const steps = Array.from({ length: N }, (_, i) => `      - { id: s${i}, run: "true" }`).join('\n');
writeFileSync(join(dir, 'shipgate.yml'), `version: 1\nname: bench\nenvironments:\n  bench: {}\nconcurrency: 1\nphases:\n  - id: p\n    steps:\n${steps}\n`);
// The reference spawns the shell the engine spawns for a bash step, with the same flags, by name
// (a PATH lookup) as a plain script would; the engine resolves the path once and runs a script file.
writeFileSync(join(dir, 'reference.mjs'), `import { spawnSync } from 'node:child_process';
for (let i = 0; i < ${N}; i++) { const r = spawnSync('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', 'true'], { stdio: ['ignore', 'pipe', 'pipe'] }); if (r.status !== 0) process.exit(1); }`);

const engine = [];
const reference = [];
for (let i = 0; i < runs; i++) {
  // Interleave so both see the same machine load.
  reference.push(timeCommand('node', [join(dir, 'reference.mjs')]));
  rmSync(join(dir, '.shipgate'), { recursive: true, force: true });
  engine.push(timeCommand('node', [join(root, 'bin', 'shipgate.js'), 'run', '--env', 'bench'], { cwd: dir, env: { ...process.env, SHIPGATE_ACTOR: 'bench' } }));
}
rmSync(dir, { recursive: true, force: true });
const e = median(engine);
const r = median(reference);
console.log(JSON.stringify({ bench: 'engine-overhead', steps: N, runs, engineMs: engine.map(Math.round), referenceMs: reference.map(Math.round) }));
console.log(`| engine overhead, ${N} \`true\` steps | ${fmt(e)} | ${fmt(r)} (plain spawn loop) | ${(e / r).toFixed(2)}× | ≤ 1.5× |`);
// The ratio of the fastest runs as well: this host's noise only ever adds time, and it moved
// whole sets of the same build by 10 % (bench/RESULTS.md), so the minimums are the steadier view.
console.log(`fastest runs: ${Math.min(...engine).toFixed(0)} ms against ${Math.min(...reference).toFixed(0)} ms, ${(Math.min(...engine) / Math.min(...reference)).toFixed(2)}×`);
spawnSync('true');
