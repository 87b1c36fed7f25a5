import { describe, expect, it } from 'vitest';
import type { ExpressionContext } from './context.js';
import { evaluateExpression, findReferences, interpolate, interpolateData, evaluateCondition, parseExpression } from './index.js';

const ctx: ExpressionContext = {
  vars: { BASE_URL: 'https://x.example', PORT: '8100', DEPLOY: 'fly', EMPTY: '' },
  env: { HOME: '/home/op', MISSING: undefined },
  secrets: { TOKEN: 's3cret' },
  steps: { backup: { outputs: { id: "it's-1", count: '3' }, status: 'passed' }, 'verify-backup': { outputs: {}, status: 'failed' } },
  run: { id: 'r-1' },
  release: { version: 'v1.2.0' },
  environment: { name: 'production' },
};
const ev = (src: string) => evaluateExpression(src, ctx);

describe('evaluateExpression', () => {
  it('reads properties, dotted and indexed, and hyphenated step ids', () => {
    expect(ev('vars.PORT')).toEqual({ ok: true, value: '8100' });
    expect(ev("vars['BASE_URL']")).toEqual({ ok: true, value: 'https://x.example' });
    expect(ev('steps.backup.outputs.id')).toEqual({ ok: true, value: "it's-1" });
    expect(ev('steps.verify-backup.status')).toEqual({ ok: true, value: 'failed' });
    expect(ev('release.version')).toEqual({ ok: true, value: 'v1.2.0' });
  });
  it('gives null for an unknown property but an error for an unknown root', () => {
    expect(ev('vars.NOPE')).toEqual({ ok: true, value: null });
    expect(ev('env.MISSING')).toEqual({ ok: true, value: null });
    expect(ev('steps.nope.outputs.id')).toEqual({ ok: true, value: null });
    expect(ev('vars.__proto__')).toEqual({ ok: true, value: null });
    const r = ev('foo.x');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('unknown name "foo"');
  });
  it('has ==, !=, &&, ||, !, parentheses, comparisons and functions', () => {
    expect(ev('vars.DEPLOY == "fly" && !(vars.PORT != \'8100\')')).toEqual({ ok: true, value: true });
    expect(ev('vars.EMPTY || vars.DEPLOY')).toEqual({ ok: true, value: 'fly' });
    expect(ev('vars.PORT == 8100')).toEqual({ ok: true, value: true });
    expect(ev('steps.backup.outputs.count > 2')).toEqual({ ok: true, value: true });
    expect(ev("contains(vars.BASE_URL, 'example')")).toEqual({ ok: true, value: true });
    expect(ev("startsWith(release.version, 'v1') && endsWith(release.version, '.0')")).toEqual({ ok: true, value: true });
    expect(ev("format('{0}:{1} {{x}}', vars.BASE_URL, vars.PORT)")).toEqual({ ok: true, value: 'https://x.example:8100 {x}' });
    expect(ev('null == null')).toEqual({ ok: true, value: true });
  });
  it('reports parse errors with an offset', () => {
    expect(parseExpression('vars.')).toEqual({ ok: false, error: { message: 'expected a property name after "." but found end of expression', offset: 5 } });
    expect(parseExpression("'abc")).toEqual({ ok: false, error: { message: 'unterminated string', offset: 0 } });
    expect(parseExpression('nope(1)').ok).toBe(false);
    expect(parseExpression('contains(1)').ok).toBe(false);
    expect(parseExpression('a == ').ok).toBe(false);
  });
});

describe('interpolate', () => {
  it('quotes values for posix and pwsh, never raw()', () => {
    expect(interpolate('echo ${{ steps.backup.outputs.id }}', ctx, { quote: 'posix' })).toEqual({ ok: true, value: "echo 'it'\\''s-1'" });
    expect(interpolate('echo ${{ steps.backup.outputs.id }}', ctx, { quote: 'pwsh' })).toEqual({ ok: true, value: "echo 'it''s-1'" });
    expect(interpolate('curl ${{ vars.BASE_URL }}/h', ctx, { quote: 'none' })).toEqual({ ok: true, value: 'curl https://x.example/h' });
    expect(interpolate('cd ${{ raw(env.HOME) }} && ${{vars.PORT}}', ctx, { quote: 'posix' })).toEqual({ ok: true, value: "cd /home/op && '8100'" });
  });
  it('does not close an expression at "}}" inside a string', () => {
    expect(interpolate("${{ format('{{a}}') }}!", ctx, { quote: 'none' })).toEqual({ ok: true, value: '{a}!' });
  });
  it('fails on an unclosed expression or an unknown root', () => {
    expect(interpolate('echo ${{ vars.X', ctx, { quote: 'none' }).ok).toBe(false);
    expect(interpolate('echo ${{ nope.X }}', ctx, { quote: 'none' }).ok).toBe(false);
  });
});

describe('interpolateData', () => {
  it('keeps the type of a sole expression and interpolates deeply', () => {
    const r = interpolateData({ port: '${{ 8100 }}', ok: '${{ vars.DEPLOY == "fly" }}', url: '${{ vars.BASE_URL }}/api', list: ['${{ run.id }}', 3] }, ctx);
    expect(r).toEqual({ ok: true, value: { port: 8100, ok: true, url: 'https://x.example/api', list: ['r-1', 3] } });
  });
});

describe('evaluateCondition', () => {
  it('accepts ${{ }} or a bare expression, with GitHub truthiness', () => {
    expect(evaluateCondition('${{ vars.DEPLOY == "fly" }}', ctx)).toEqual({ ok: true, value: true });
    expect(evaluateCondition("steps.verify-backup.status == 'passed'", ctx)).toEqual({ ok: true, value: false });
    expect(evaluateCondition('vars.EMPTY', ctx)).toEqual({ ok: true, value: false });
    expect(evaluateCondition('0', ctx)).toEqual({ ok: true, value: false });
    expect(evaluateCondition('vars.nope ==', ctx).ok).toBe(false);
  });
});

describe('findReferences', () => {
  it('lists roots and literal paths with offsets in the template', () => {
    const t = 'x ${{ steps.backup.outputs.id }} ${{ contains(vars.A, env["B"]) }}';
    expect(findReferences(t)).toEqual([
      { root: 'steps', path: ['backup', 'outputs', 'id'], offset: 6 },
      { root: 'vars', path: ['A'], offset: 46 },
      { root: 'env', path: ['B'], offset: 54 },
    ]);
  });
});
