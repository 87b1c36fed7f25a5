import { err, ok, type Result } from '../../core/result.js';
import { unreachable } from '../../core/unreachable.js';
import { EXPRESSION_ROOTS, type ExprAst } from './ast.js';
import type { ExpressionContext, ExprValue } from './context.js';
import { parseExpression } from './parse.js';

/**
 * Evaluates an expression (without the `${{ }}`) against a context. Like GitHub Actions: an
 * unknown property is `null`, `&&`/`||` return one of their operands, values of different types
 * compare as numbers. Unlike GitHub, string comparison is case-sensitive (release names, paths
 * and statuses are), which is also what `==` means in JS for same-typed values. Referencing an
 * unknown root (`foo.x`) is an error, not null: it is always a typo.
 */
export function evaluateExpression(src: string, ctx: ExpressionContext): Result<ExprValue, string> {
  const ast = parseExpression(src);
  if (!ast.ok) return err(`${ast.error.message} at offset ${ast.error.offset} in "${src}"`);
  return evaluateAst(ast.value, ctx);
}

/** Evaluates an already parsed expression. */
export function evaluateAst(ast: ExprAst, ctx: ExpressionContext): Result<ExprValue, string> {
  try {
    return ok(evalNode(ast, ctx));
  } catch (e) {
    if (e instanceof EvalFailure) return err(e.message);
    throw e;
  }
}

class EvalFailure extends Error {}

function evalNode(node: ExprAst, ctx: ExpressionContext): ExprValue {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'ident': {
      if (!(EXPRESSION_ROOTS as readonly string[]).includes(node.name)) {
        throw new EvalFailure(`unknown name "${node.name}" (known: ${EXPRESSION_ROOTS.join(', ')})`);
      }
      return toValue(ctx[node.name as keyof ExpressionContext]);
    }
    case 'member':
      return getProperty(evalNode(node.object, ctx), evalNode(node.property, ctx));
    case 'not':
      return !isTruthy(evalNode(node.operand, ctx));
    case 'binary': {
      const left = evalNode(node.left, ctx);
      if (node.op === '&&') return isTruthy(left) ? evalNode(node.right, ctx) : left;
      if (node.op === '||') return isTruthy(left) ? left : evalNode(node.right, ctx);
      const right = evalNode(node.right, ctx);
      switch (node.op) {
        case '==':
          return looseEquals(left, right);
        case '!=':
          return !looseEquals(left, right);
        case '<':
        case '<=':
        case '>':
        case '>=':
          return compare(node.op, left, right);
        default:
          return unreachable(node.op);
      }
    }
    case 'call':
      return callFunction(node.name, node.args.map((a) => evalNode(a, ctx)));
    default:
      return unreachable(node);
  }
}

/** Plain data only: context values are copied into ExprValues (undefined → null). */
function toValue(v: unknown): ExprValue {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(toValue);
  if (typeof v === 'object') {
    const out: Record<string, ExprValue> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toValue(x);
    return out;
  }
  return null;
}

function getProperty(obj: ExprValue, key: ExprValue): ExprValue {
  if (Array.isArray(obj)) {
    const n = typeof key === 'number' ? key : Number.NaN;
    return Number.isInteger(n) && n >= 0 && n < obj.length ? (obj[n] ?? null) : null;
  }
  if (obj !== null && typeof obj === 'object') {
    const k = toText(key);
    // Own properties only: `__proto__`, `constructor` and friends are never reachable.
    return Object.hasOwn(obj, k) ? ((obj as Record<string, ExprValue>)[k] ?? null) : null;
  }
  return null;
}

/** GitHub truthiness: false, 0, -0, NaN, '' and null are false; everything else is true. */
export function isTruthy(v: ExprValue): boolean {
  if (v === null || v === false || v === '') return false;
  if (typeof v === 'number') return !Number.isNaN(v) && v !== 0;
  return true;
}

/** How a value reads when substituted into text. */
export function toText(v: ExprValue): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function toNumber(v: ExprValue): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v);
  return Number.NaN;
}

function looseEquals(a: ExprValue, b: ExprValue): boolean {
  const ta = typeof a;
  if (a === null || b === null) return a === b;
  if (ta === typeof b && ta !== 'object') return a === b;
  if (ta === 'object' || typeof b === 'object') return a === b;
  return toNumber(a) === toNumber(b);
}

function compare(op: '<' | '<=' | '>' | '>=', a: ExprValue, b: ExprValue): boolean {
  const both = typeof a === 'string' && typeof b === 'string';
  const x = both ? a : toNumber(a);
  const y = both ? b : toNumber(b);
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    default:
      return unreachable(op);
  }
}

function callFunction(name: string, args: ExprValue[]): ExprValue {
  const [a = null, b = null] = args;
  switch (name) {
    case 'contains':
      return Array.isArray(a) ? a.some((x) => looseEquals(x, b)) : toText(a).includes(toText(b));
    case 'startsWith':
      return toText(a).startsWith(toText(b));
    case 'endsWith':
      return toText(a).endsWith(toText(b));
    case 'join':
      return Array.isArray(a) ? a.map(toText).join(args.length > 1 ? toText(b) : ',') : toText(a);
    case 'toJSON':
      return JSON.stringify(a, null, 2);
    case 'raw':
      // Identity here; interpolate() sees the raw() at the top of an expression and skips quoting.
      return a;
    case 'format':
      return formatString(toText(a), args.slice(1));
    default:
      throw new EvalFailure(`unknown function ${name}()`);
  }
}

/** `format('{0} and {1}', x, y)`; `{{` and `}}` are literal braces, as in GitHub. */
function formatString(fmt: string, args: ExprValue[]): string {
  return fmt.replace(/\{\{|\}\}|\{(\d+)\}/g, (m, n: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const i = Number(n);
    if (i >= args.length) throw new EvalFailure(`format(): no argument for {${i}}`);
    return toText(args[i]!);
  });
}
