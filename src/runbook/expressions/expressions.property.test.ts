import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExpressionContext } from './context.js';
import { bashAvailable, skipWithout } from '../../../test/support/runbook-services.js';
import { evaluateExpression, interpolate, parseExpression, shellQuote } from './index.js';

const noBash = skipWithout('bash', bashAvailable);

const ctx: ExpressionContext = { vars: {}, env: {}, secrets: {}, steps: {}, run: { id: 'r' }, release: { version: '' }, environment: { name: 'e' } };

describe('shellQuote (property)', () => {
  it.skipIf(noBash)('round-trips any string through a real bash', () => {
    // NUL cannot be in a process argument at all, so it is the one character left out.
    const text = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0'));
    const special = fc.array(fc.constantFrom("'", '"', '$', '`', '\\', '\n', '!', '*', ' ', '$(id)', "'\\''", '\t', '~', '#'), { maxLength: 12 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.oneof(text, special), (s) => {
        const out = execFileSync('bash', ['-c', `printf %s ${shellQuote(s, 'posix')}`], { encoding: 'utf8' });
        expect(out).toBe(s);
      }),
      { numRuns: 150 },
    );
  });
});

describe('interpolate (property)', () => {
  it.skipIf(noBash)('a var substituted into run: reaches the command as exactly one argument, whatever it holds', () => {
    const value = fc.string({ unit: 'binary', maxLength: 30 }).filter((s) => !s.includes('\0'));
    fc.assert(
      fc.property(value, (v) => {
        const script = interpolate('printf "%s|" ${{ vars.X }} ${{ vars.X }}', { ...ctx, vars: { X: v } }, { quote: 'posix' });
        if (!script.ok) throw new Error(script.error);
        expect(execFileSync('bash', ['-c', script.value], { encoding: 'utf8' })).toBe(`${v}|${v}|`);
      }),
      { numRuns: 100 },
    );
  });
});

describe('parseExpression (property)', () => {
  it('never throws on arbitrary input', () => {
    const alphabet = fc.constantFrom(...'ab.()[]\'"=!&|<>,01 -contains'.split(''), 'vars', 'steps', 'true', 'null', '==', '&&', '||');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(alphabet, { maxLength: 30 }).map((a) => a.join(''))), (s) => {
        const r = parseExpression(s);
        expect(typeof r.ok).toBe('boolean');
        if (r.ok) expect(() => evaluateExpression(s, ctx)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });
  it('refuses pathological nesting with a message instead of overflowing', () => {
    expect(parseExpression('('.repeat(5000) + '1' + ')'.repeat(5000)).ok).toBe(false);
    expect(parseExpression('!'.repeat(5000) + '1').ok).toBe(false);
  });
});

describe('evaluateExpression (property)', () => {
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  it('compares same-typed literals as JS does', () => {
    const lit = fc.oneof(
      fc.tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 })).map(([a, b]) => [a, b, quote(a), quote(b)] as const),
      fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -1000, max: 1000 })).map(([a, b]) => [a, b, String(a), String(b)] as const),
      fc.tuple(fc.boolean(), fc.boolean()).map(([a, b]) => [a, b, String(a), String(b)] as const),
    );
    fc.assert(
      fc.property(lit, fc.constantFrom('==', '!=', '<', '<=', '>', '>=', '&&', '||'), ([a, b, sa, sb], op) => {
        const r = evaluateExpression(`${sa} ${op} ${sb}`, ctx);
        const js = new Function('a', 'b', `return a ${op === '==' ? '===' : op === '!=' ? '!==' : op} b`)(a, b);
        if (typeof a === 'boolean' && ['<', '<=', '>', '>='].includes(op)) return; // JS compares booleans as numbers too
        expect(r).toEqual({ ok: true, value: js });
      }),
      { numRuns: 1000 },
    );
  });
});
