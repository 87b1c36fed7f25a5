import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineAction, type ActionDefinition } from '../../src/actions/action.js';
import { formatDiagnostic } from '../../src/runbook/diagnostic.js';
import { validateRunbookText } from '../../src/runbook/validate.js';

// A test-only registry: the real one is filled by the action families later. `load` is never
// called by the validator (it must not import implementations), which the throwing load checks.
const never = async (): Promise<never> => {
  throw new Error('the validator must not load action implementations');
};
const actions = new Map<string, ActionDefinition>(
  [
    defineAction({
      name: 'check/http',
      summary: 'GET a URL and assert on it.',
      with: z.strictObject({ url: z.string(), timeout: z.number().int().optional(), expect: z.strictObject({ status: z.number().int(), json: z.record(z.string(), z.unknown()).optional() }).optional() }),
      load: never,
    }),
    defineAction({ name: 'backup', summary: 'Back up data: .', with: z.strictObject({ label: z.string().optional() }), load: never }),
  ].map((a) => [a.name, a as ActionDefinition]),
);

const runbook = (steps: string, extra = '') => `version: 1
name: actions
environments: { production: { vars: { BASE_URL: https://x.example, TIMEOUT: "5" } } }
${extra}phases:
  - id: one
    steps:
${steps}`;

const lines = (text: string) => {
  const r = validateRunbookText(text, 'shipgate.yml', { actions });
  return r.ok ? [] : r.error.map((d) => formatDiagnostic({ ...d, hint: undefined }));
};

describe('action rules (with a test-only registry)', () => {
  it('accepts valid inputs, and ${{ }} strings wherever they appear, even where a number is expected', () => {
    const text = runbook(`      - id: health
        uses: check/http
        with: { url: "\${{ vars.BASE_URL }}/api/health", timeout: "\${{ vars.TIMEOUT }}", expect: { status: 200, json: { status: healthy } } }
`);
    expect(lines(text)).toEqual([]);
  });

  it('reports unknown keys with a suggestion, wrong types and missing inputs as action-inputs', () => {
    const text = runbook(`      - id: health
        uses: check/http
        with:
          timeout: soon
          exepct: { status: 200 }
`);
    expect(lines(text)).toEqual([
      'shipgate.yml:9:9: error action-inputs check/http: missing required key "url" in phases[0].steps[0].with',
      'shipgate.yml:10:20: error action-inputs check/http: phases[0].steps[0].with.timeout: expected a number, got "soon"',
      'shipgate.yml:11:11: error action-inputs check/http: unknown key "exepct" in phases[0].steps[0].with; did you mean "expect"?',
    ]);
  });

  it('reports an unknown action with the closest known name and the list of actions', () => {
    const r = validateRunbookText(runbook('      - { id: health, uses: check/htp }\n'), 'shipgate.yml', { actions });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.map(formatDiagnostic)).toEqual(['shipgate.yml:7:29: error unknown-action unknown action "check/htp"; did you mean "check/http"?\n  hint: known actions: backup, check/http']);
  });

  it('requires the data: block for backup, and accepts it when present', () => {
    expect(lines(runbook('      - { id: backup, uses: backup }\n'))).toEqual(['shipgate.yml:7:29: error missing-block action "backup" needs a top-level data: block (what to back up)']);
    expect(lines(runbook('      - { id: backup, uses: backup }\n', 'data: { database: { kind: sqlite, path: app.db } }\n'))).toEqual([]);
  });

  it('uses the built-in registry by default', () => {
    // check/http is built in: a missing url is an input error, not an unknown action.
    const r = validateRunbookText(runbook('      - { id: health, uses: check/http }\n'), 'shipgate.yml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.map((d) => d.code)).toEqual(['action-inputs']);
  });
});
