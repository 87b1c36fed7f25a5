import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRunbook } from '../../src/runbook/load.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

describe('a runbook with many problems', () => {
  it('reports all of them at once, sorted by position, each with file:line:col', async () => {
    const r = await loadRunbook('many-errors.yml', { cwd: dir });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const got = r.error.map((d) => `${d.pos.line}:${d.pos.col} ${d.code}`);
    expect(got).toEqual([
      '8:27 bad-name',
      '13:23 unknown-reference', // vars.BASE_URLL
      '13:45 unknown-reference', // steps.c not before a
      '14:9 unknown-key', // need → needs
      '17:9 step-kind', // run and uses
      '17:15 missing-block', // backup without data:
      '17:15 unknown-action',
      '18:18 wrong-type', // timeout: true
      '20:25 unknown-reference', // role admn
      '21:9 step-kind', // expect without run
      '21:27 bad-regex',
      '22:13 step-kind', // d does nothing
      '23:9 needs-cycle',
      '25:20 unknown-needs',
      '26:29 bad-expression',
      '27:29 bad-expression', // bare if:
      '30:13 duplicate-step-id',
      '32:17 unknown-needs',
      '34:15 unknown-action',
      '35:17 unknown-reference', // foo.bar
      '38:66 needs-across-rollback',
    ]);
    expect(r.error.every((d) => d.file === 'many-errors.yml' && d.severity === 'error')).toBe(true);
    expect(r.error.find((d) => d.code === 'needs-cycle')?.message).toBe('dependency cycle: d → e → d');
  });
});
