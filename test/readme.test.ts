import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../src/runbook/diagnostic.js';
import { validateRunbookText } from '../src/runbook/validate.js';
import { ROOT } from './support/cli.js';

// The README's YAML must stay true: the first block is a whole runbook, the second a list of
// check steps, which we wrap into one. Both must validate against the real schema and actions.
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('README examples', () => {
  it('has the runbook and the check steps', () => expect(blocks.length).toBeGreaterThanOrEqual(2));

  it('the runbook validates', () => {
    const r = validateRunbookText(blocks[0]!, 'README.md#runbook');
    expect(r.ok ? [] : r.error.map(formatDiagnostic)).toEqual([]);
  });

  it('the check steps validate inside a runbook', () => {
    const indented = blocks[1]!.split('\n').map((l) => (l.trim() ? `      ${l}` : l)).join('\n');
    const text = `version: 1\nname: r\nenvironments:\n  production:\n    vars: { BASE_URL: https://x.example }\nphases:\n  - id: p\n    steps:\n${indented}\n`;
    const r = validateRunbookText(text, 'README.md#checks');
    expect(r.ok ? [] : r.error.map(formatDiagnostic)).toEqual([]);
  });
});
