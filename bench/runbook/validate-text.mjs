#!/usr/bin/env node
// In-process cost of validating a runbook (validateRunbookText: YAML parse with positions, the
// schema, every rule), against the reference of only parsing the same YAML (parseDocument +
// toJS). Cold start of `shipgate validate` is measured by bench/engine (not here).
// Run against the built library: npm run build && node bench/runbook/validate-text.mjs
import { LineCounter, parseDocument } from 'yaml';
import { validateRunbookText } from '../../dist/runbook/validate.js';

function makeRunbook(steps) {
  let s = 'version: 1\nname: bench\nroles: { ops: { members: [ops@example.com] } }\nenvironments: { production: { vars: { URL: https://x.example } } }\nphases:\n';
  const perPhase = 10;
  for (let p = 0; p < steps / perPhase; p++) {
    s += `  - id: p${p}\n    steps:\n`;
    for (let i = 0; i < perPhase; i++) {
      const id = `s${p}-${i}`;
      if (i === perPhase - 1) s += `      - id: ${id}\n        manual: { role: ops, checklist: [Looks good] }\n`;
      else {
        const ref = i > 0 ? ` && echo \${{ steps.s${p}-0.outputs.x }}` : '';
        s += `      - id: ${id}\n        run: curl -fsS \${{ vars.URL }}/${i}${ref}\n        expect: { stdout: ['ok \\\\d+'] }\n`;
      }
    }
  }
  return s;
}

function median(fn, runs) {
  for (let i = 0; i < 3; i++) fn(); // warm up
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

for (const n of [100, 1000]) {
  const text = makeRunbook(n);
  const check = validateRunbookText(text, 'bench.yml');
  if (!check.ok) throw new Error(`bench runbook invalid: ${JSON.stringify(check.error[0])}`);
  const runs = n >= 1000 ? 9 : 21;
  const parse = median(() => parseDocument(text, { lineCounter: new LineCounter() }).toJS(), runs);
  const validate = median(() => validateRunbookText(text, 'bench.yml'), runs);
  console.log(`${n} steps: validate ${validate.toFixed(1)} ms, yaml parse only ${parse.toFixed(1)} ms, ratio ${(validate / parse).toFixed(2)}x (median of ${runs})`);
}
