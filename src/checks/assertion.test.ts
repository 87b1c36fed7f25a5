import { describe, expect, it } from 'vitest';
import { evaluateAssertion, parseAssertion, type JsonAssertion } from './assertion.js';

const a = (t: string): JsonAssertion => {
  const r = parseAssertion(t);
  if (typeof r === 'string') throw new Error(r);
  return r;
};
const doc = { status: 'healthy', services: { database: 'ok', 'cache.v2': 'warm' }, n: 3, ok: true, items: [{ id: 'x' }], nil: null };

describe('JSON assertions', () => {
  it.each([
    ['status == healthy', true],
    ['status == "healthy"', true],
    ['status != degraded', true],
    ['services.database == ok', true],
    ['services["cache.v2"] == warm', true],
    ['n == 3', true],
    ['n == 3.0', true],
    ['n < 4', true],
    ['n <= 3', true],
    ['n > 3', false],
    ['n >= 3', true],
    ['ok == true', true],
    ['nil == null', true],
    ['items[0].id == x', true],
    ['items[1].id exists', false],
    ['$.status matches ^heal', true],
    ['status exists', true],
    ['missing exists', false],
    ['missing != x', false], // a missing value never satisfies an assertion
    ['status < 5', false], // not a number
  ])('%s → %s', (text, want) => {
    expect(evaluateAssertion(a(text), doc).passed).toBe(want);
  });

  it('reports what was measured', () => {
    expect(evaluateAssertion(a('services.database == ok'), { services: { database: 'down' } })).toEqual({ passed: false, measured: 'down' });
    expect(evaluateAssertion(a('services.database == ok'), {})).toEqual({ passed: false, measured: '(missing)' });
  });

  it.each(['status', 'status ~ x', 'n < many', 'x matches (', 'a[b] == 1', 'x exists y'])('rejects "%s"', (t) => {
    expect(typeof parseAssertion(t)).toBe('string');
  });
});
