// Separates the engine's fixed cost (start-up, end) from its per-step cost: runbooks of 20 and 400
// `true` steps, each against a plain spawnSync loop of the same length, 7 interleaved rounds.
// Usage: node bench/engine/fixed-vs-per-step.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const bin = join(import.meta.dirname, '..', '..', 'bin', 'shipgate.js');
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const t = (cmd, args, opts) => { const a = process.hrtime.bigint(); const r = spawnSync(cmd, args, { stdio: 'ignore', ...opts }); if (r.status) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`); return Number(process.hrtime.bigint() - a) / 1e6; };
const res = {};
for (const N of [20, 400]) {
  const dir = mkdtempSync(join(tmpdir(), 'sg-bench-linear-'));
  const steps = Array.from({ length: N }, (_, i) => `      - { id: s${i}, run: "true" }`).join('\n');
  writeFileSync(join(dir, 'shipgate.yml'), `version: 1\nname: bench\nenvironments:\n  bench: {}\nconcurrency: 1\nphases:\n  - id: p\n    steps:\n${steps}\n`);
  writeFileSync(join(dir, 'ref.mjs'), `import { spawnSync } from 'node:child_process';\nfor (let i = 0; i < ${N}; i++) spawnSync('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', 'true'], { stdio: ['ignore', 'pipe', 'pipe'] });`);
  res[N] = { e: [], r: [] };
  for (let i = 0; i < 7; i++) {
    res[N].r.push(t('node', [join(dir, 'ref.mjs')]));
    rmSync(join(dir, '.shipgate'), { recursive: true, force: true });
    res[N].e.push(t('node', [bin, 'run', '--env', 'bench'], { cwd: dir, env: { ...process.env, SHIPGATE_ACTOR: 'b' } }));
  }
  rmSync(dir, { recursive: true, force: true });
}
const e20 = med(res[20].e), e400 = med(res[400].e), r20 = med(res[20].r), r400 = med(res[400].r);
const pe = (e400 - e20) / 380, pr = (r400 - r20) / 380;
console.log({ e20, e400, r20, r400, perStepEngine: pe.toFixed(2), perStepRef: pr.toFixed(2), fixedEngine: (e20 - 20 * pe).toFixed(0), fixedRef: (r20 - 20 * pr).toFixed(0) });
console.log('projected 200 steps:', ((e20 - 20 * pe + 200 * pe) / (r20 - 20 * pr + 200 * pr)).toFixed(2));
