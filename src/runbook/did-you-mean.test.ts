import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from './did-you-mean.js';

describe('didYouMean', () => {
  it('suggests the closest key within a third of the length', () => {
    expect(didYouMean('need', ['needs', 'name', 'id'])).toBe('needs');
    expect(didYouMean('timout', ['timeout', 'retries'])).toBe('timeout');
    expect(didYouMean('dealy', ['count', 'delay', 'max-delay'])).toBe('delay');
    expect(didYouMean('exit_codes', ['exit-codes', 'stdout'])).toBe('exit-codes');
    expect(didYouMean('Rollback-On-Failure', ['rollback-on-failure'])).toBe('rollback-on-failure');
  });
  it('suggests the only candidate a short name is a prefix of', () => {
    expect(didYouMean('admin', ['administrator', 'developer'])).toBe('administrator');
    expect(didYouMean('dev', ['developer', 'devops'])).toBeUndefined();
  });
  it('suggests nothing for a far name', () => {
    expect(didYouMean('zzz', ['needs', 'id'])).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
  });
  it('computes edit distance, a transposition being one edit', () => {
    expect(editDistance('dealy', 'delay')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});
