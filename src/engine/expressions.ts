/**
 * The engine's view of `${{ }}` expressions. TEMPORARY minimal implementation (property paths
 * only) until the full evaluator in src/runbook/expressions/ lands; then this re-exports it.
 */
import { err, ok, type Result } from '../core/result.js';
import type { ExpressionContext, QuoteMode } from '../runbook/expressions/context.js';

const EXPR = /\$\{\{\s*(.*?)\s*\}\}/g;

function lookup(path: string, ctx: ExpressionContext): Result<unknown, string> {
  const parts = path.split('.');
  let v: unknown = ctx as unknown;
  for (const p of parts) {
    if (v === null || typeof v !== 'object') return ok(null);
    v = (v as Record<string, unknown>)[p];
  }
  return ok(v ?? null);
}

function quote(v: string, mode: QuoteMode): string {
  if (mode === 'none') return v;
  if (mode === 'pwsh') return `'${v.replaceAll("'", "''")}'`;
  return `'${v.replaceAll("'", "'\\''")}'`;
}

export function interpolate(template: string, ctx: ExpressionContext, opts: { quote: QuoteMode }): Result<string, string> {
  let failure: string | undefined;
  const out = template.replace(EXPR, (_m, expr: string) => {
    const raw = /^raw\((.*)\)$/.exec(expr);
    const r = lookup(raw ? raw[1]! : expr, ctx);
    if (!r.ok) return (failure = r.error), '';
    const s = r.value === null ? '' : String(r.value);
    return raw ? s : quote(s, opts.quote);
  });
  return failure ? err(failure) : ok(out);
}

export function interpolateData(value: unknown, ctx: ExpressionContext): Result<unknown, string> {
  if (typeof value === 'string') return interpolate(value, ctx, { quote: 'none' });
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) {
      const r = interpolateData(v, ctx);
      if (!r.ok) return r;
      out.push(r.value);
    }
    return ok(out);
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = interpolateData(v, ctx);
      if (!r.ok) return r;
      out[k] = r.value;
    }
    return ok(out);
  }
  return ok(value);
}

export function evaluateCondition(text: string, ctx: ExpressionContext): Result<boolean, string> {
  const expr = text.replace(/^\s*\$\{\{\s*|\s*\}\}\s*$/g, '');
  const m = /^(.+?)\s*(==|!=)\s*(.+)$/.exec(expr);
  const val = (t: string) => (/^['"].*['"]$/.test(t) ? t.slice(1, -1) : t === 'true' ? true : t === 'false' ? false : (lookup(t, ctx) as { value: unknown }).value);
  if (m) return ok(m[2] === '==' ? val(m[1]!) === val(m[3]!) : val(m[1]!) !== val(m[3]!));
  const v = val(expr.trim());
  return ok(Boolean(v));
}
