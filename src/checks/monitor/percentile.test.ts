import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentile, sortedCopy } from './percentile.js';

describe('percentile (linear interpolation, type 7)', () => {
  it('matches hand-computed values', () => {
    const x = [15, 20, 35, 40, 50];
    expect(percentile(x, 0)).toBe(15);
    expect(percentile(x, 0.5)).toBe(35);
    expect(percentile(x, 0.4)).toBe(29); // h = 1.6 → 20 + 0.6·15
    expect(percentile(x, 1)).toBe(50);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([], 0.5)).toBeUndefined();
  });

  it('recovers the quantiles of 1..1000 (uniform) exactly', () => {
    const x = Array.from({ length: 1001 }, (_, i) => i);
    expect(percentile(x, 0.5)).toBe(500);
    expect(percentile(x, 0.95)).toBeCloseTo(950, 9);
    expect(percentile(x, 0.99)).toBeCloseTo(990, 9);
  });

  it('approaches the exponential distribution quantile -ln(1-p)·mean', () => {
    // Deterministic stratified sample of Exp(mean 100): the i/(n+1) quantiles.
    const n = 20_000;
    const x = Array.from({ length: n }, (_, i) => -Math.log(1 - (i + 1) / (n + 1)) * 100);
    expect(percentile(x, 0.95)! / (-Math.log(0.05) * 100)).toBeCloseTo(1, 2);
    expect(percentile(x, 0.5)! / (Math.log(2) * 100)).toBeCloseTo(1, 2);
  });

  it('is monotone in p and stays within [min, max]', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (xs, a, b) => {
        const s = sortedCopy(xs);
        const [lo, hi] = a < b ? [a, b] : [b, a];
        const pl = percentile(s, lo)!;
        const ph = percentile(s, hi)!;
        return pl <= ph + 1e-9 && pl >= s[0]! - 1e-9 && ph <= s[s.length - 1]! + 1e-9;
      }),
    );
  });
});
