import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/core/redact.js';

describe('Redactor', () => {
  it('redacts values everywhere, and keys only for secrets long enough to mean something', () => {
    const r = new Redactor().add('t', 'tok-canary-5521');
    const out = r.redactData({ actor: { id: 'ann', via: 'asserted-env' }, note: 'a t here', 'tok-canary-5521': 'x', nested: [{ v: 'tok-canary-5521!' }] });
    // A one-letter secret still goes from every value (the record stays well-formed)…
    expect(out).toEqual({ actor: { id: 'ann', via: 'asser***ed-env' }, note: 'a *** here', '***': 'x', nested: [{ v: '***!' }] });
    // …but not from field names, which it would break (`actor` → `ac***or`).
    expect(Object.keys(out)).toContain('actor');
  });
});
