#!/usr/bin/env node
// `npm run demo`: runs examples/demo/shipgate.yml end to end in a fresh temp copy, the way an
// operator and an administrator would: run (it waits for the administrator), approve from the
// CLI, resume, verify the evidence chain, export the evidence. Exits non-zero if anything
// does not behave as described.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', '..', 'bin', 'shipgate.js');
const dir = mkdtempSync(join(tmpdir(), 'shipgate-demo-'));
cpSync(here, dir, { recursive: true, filter: (src) => !src.includes('.shipgate') && !src.endsWith('run-demo.mjs') });

const env = { ...process.env, DEMO_API_TOKEN: 'demo-token-not-a-real-secret', SHIPGATE_ACTOR: 'operator@example.com' };
const step = (title) => console.log(`\n\u001b[1m== ${title}\u001b[0m`);
const sg = (args, extra = {}, expectCode = 0) => {
  console.log(`$ shipgate ${args.join(' ')}`);
  const r = spawnSync('node', [bin, ...args], { cwd: dir, env: { ...env, ...extra }, stdio: 'inherit' });
  if (r.status !== expectCode) {
    console.error(`demo: expected exit ${expectCode}, got ${r.status}`);
    process.exit(1);
  }
};

step('1. Plan: what will run, in order');
sg(['plan', '--env', 'demo', '--release', '1.4.0']);
step('2. Run: the lying backup script is caught; the run stops at the administrator gate (exit 3)');
sg(['run', '--env', 'demo', '--release', '1.4.0'], {}, 3);
const runs = JSON.parse(execFileSync('node', [bin, 'runs', '--json'], { cwd: dir, env }).toString());
const run = runs[0].id;
step('3. The operator may not approve: not in the administrator role');
sg(['approve', run, 'ui-verification', '--all-pass'], {}, 2);
step('4. The administrator approves from the CLI, answering the checklist');
sg(['approve', run, 'ui-verification', '--item', '1=pass', '--item', '2=pass', '--item', '3=pass:exported jobs.csv'], { SHIPGATE_ACTOR: 'admin@example.com' });
step('5. Resume: the run finishes');
sg(['resume', run]);
step('6. Verify the hash-chained evidence ledger');
sg(['evidence', 'verify']);
step('7. Export the evidence for the change ticket');
sg(['evidence', 'export', run, '--out', join(dir, 'evidence')]);
const md = readFileSync(join(dir, 'evidence', 'run.md'), 'utf8');
if (md.includes('demo-token-not-a-real-secret')) {
  console.error('demo: the secret leaked into run.md');
  process.exit(1);
}
console.log(`\n${md.split('\n').slice(0, 40).join('\n')}\n…\nDemo done. Everything is in ${dir} (evidence/run.md, .shipgate/state.db).`);
