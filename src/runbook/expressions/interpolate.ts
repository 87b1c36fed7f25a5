import { err, ok, type Result } from '../../core/result.js';
import type { ExpressionContext, ExprValue, QuoteMode } from './context.js';
import { evaluateAst, isTruthy, toText } from './evaluate.js';
import { parseExpression } from './parse.js';
import { shellQuote } from './shell-quote.js';
import { hasExpression, scanTemplate, soleExpression } from './template.js';

/**
 * Replaces every `${{ … }}` in a template with its value. In `posix`/`pwsh` mode each value is
 * shell-quoted so a value can never become shell syntax (DESIGN.md §3); `${{ raw(x) }}` asks for
 * the unquoted form explicitly. `none` is for text that no shell reads (env values, URLs).
 */
export function interpolate(template: string, ctx: ExpressionContext, opts: { quote: QuoteMode }): Result<string, string> {
  const scanned = scanTemplate(template);
  if (!scanned.ok) return err(`${scanned.error.message} at offset ${scanned.error.offset}`);
  let out = '';
  for (const seg of scanned.value) {
    if (seg.kind === 'text') {
      out += seg.text;
      continue;
    }
    const ast = parseExpression(seg.src);
    if (!ast.ok) return err(`${ast.error.message} in "\${{${seg.src}}}"`);
    const value = evaluateAst(ast.value, ctx);
    if (!value.ok) return err(`${value.error} in "\${{${seg.src}}}"`);
    const isRaw = ast.value.type === 'call' && ast.value.name === 'raw';
    out += shellQuote(toText(value.value), isRaw ? 'none' : opts.quote);
  }
  return ok(out);
}

/**
 * Interpolates every string inside a value (objects and arrays, deeply), without quoting. A
 * string that is exactly one `${{ expr }}` keeps the expression's type, so
 * `timeout: ${{ vars.TIMEOUT_MS }}` can feed a number to an action's schema.
 */
export function interpolateData(value: unknown, ctx: ExpressionContext): Result<unknown, string> {
  if (typeof value === 'string') {
    if (!hasExpression(value)) return ok(value);
    const sole = soleExpression(value);
    if (sole) {
      const ast = parseExpression(sole.src);
      if (!ast.ok) return err(`${ast.error.message} in "${value}"`);
      const v = evaluateAst(ast.value, ctx);
      return v.ok ? ok(v.value) : err(`${v.error} in "${value}"`);
    }
    return interpolate(value, ctx, { quote: 'none' });
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const r = interpolateData(item, ctx);
      if (!r.ok) return r;
      out.push(r.value);
    }
    return ok(out);
  }
  if (value !== null && typeof value === 'object') {
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

/**
 * Evaluates an `if:`. It may be written `${{ expr }}` or as a bare expression, as in GitHub; a
 * template mixing text and expressions is interpolated and its text judged (non-empty is true).
 */
export function evaluateCondition(ifText: string, ctx: ExpressionContext): Result<boolean, string> {
  const sole = soleExpression(ifText);
  const src = sole ? sole.src : hasExpression(ifText) ? null : ifText;
  if (src === null) {
    const text = interpolate(ifText, ctx, { quote: 'none' });
    return text.ok ? ok(isTruthy(text.value)) : text;
  }
  const ast = parseExpression(src);
  if (!ast.ok) return err(`${ast.error.message} in if: "${ifText}"`);
  const v = evaluateAst(ast.value, ctx);
  return v.ok ? ok(isTruthy(v.value as ExprValue)) : err(`${v.error} in if: "${ifText}"`);
}
