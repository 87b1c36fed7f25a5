// Cold start: `shipgate --version` against `node -e 0` (goal ≤ 2×), and `shipgate validate` on
// a 100-step runbook against `node -e 0` (goal ≤ 3×). Usage: node bench/engine/cold-start.mjs [runs=15]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, median, timeCommand } from '../lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'bin', 'shipgate.js');
const runs = Number(process.argv[2] ?? 15);
const dir = mkdtempSync(join(tmpdir(), 'sg-bench-cold-'));
const steps = Array.from({ length: 100 }, (_, i) => `      - id: s${i}\n        run: echo step ${i} \${{ vars.X }}\n        timeout: 30s`).join('\n');
writeFileSync(join(dir, 'shipgate.yml'), `version: 1\nname: bench\nenvironments:\n  bench: { vars: { X: "1" } }\nphases:\n  - id: p\n    steps:\n${steps}\n`);

const node0 = [];
const version = [];
const validate = [];
for (let i = 0; i < runs; i++) {
  node0.push(timeCommand('node', ['-e', '0']));
  version.push(timeCommand('node', [bin, '--version']));
  validate.push(timeCommand('node', [bin, 'validate', join(dir, 'shipgate.yml')]));
}
rmSync(dir, { recursive: true, force: true });
const n = median(node0);
console.log(JSON.stringify({ bench: 'cold-start', runs, nodeMs: n, versionMs: median(version), validateMs: median(validate) }));
console.log(`| \`shipgate --version\` | ${fmt(median(version))} | ${fmt(n)} (node -e 0) | ${(median(version) / n).toFixed(2)}× | ≤ 2× |`);
console.log(`| \`shipgate validate\`, 100 steps | ${fmt(median(validate))} | ${fmt(n)} (node -e 0) | ${(median(validate) / n).toFixed(2)}× | ≤ 3× |`);
