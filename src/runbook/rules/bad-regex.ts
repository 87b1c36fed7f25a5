import { asRecord, type Rule } from './rule.js';

const PATTERN_KEYS = ['stdout', 'stdout-not', 'stderr', 'stderr-not'] as const;

/** bad-regex: every `expect` pattern must compile as a JavaScript regular expression. */
export const badRegexRule: Rule = {
  name: 'bad-regex',
  check(ctx) {
    for (const step of ctx.steps) {
      const expect = asRecord(step.raw.expect);
      if (!expect) continue;
      for (const key of PATTERN_KEYS) {
        const v = expect[key];
        const list = typeof v === 'string' ? [[v, [...step.path, 'expect', key]] as const] : Array.isArray(v) ? v.map((p, i) => [p, [...step.path, 'expect', key, i]] as const) : [];
        for (const [pattern, path] of list) {
          if (typeof pattern !== 'string') continue;
          try {
            new RegExp(pattern);
          } catch (e) {
            ctx.report({ code: 'bad-regex', path, message: `expect.${key}: ${(e as Error).message.replace(/^Invalid regular expression: /, 'invalid regular expression ')}` });
          }
        }
      }
    }
  },
};
