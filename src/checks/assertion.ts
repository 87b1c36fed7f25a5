import { parseJsonPath, readJsonPath, type PathSegment } from './json-path.js';

/** Operators of a JSON assertion. */
export type AssertOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'exists' | 'matches';

/** `services.database == ok`, `latency_ms < 200`, `version matches ^2\.`, `build exists`. */
export interface JsonAssertion {
  readonly text: string;
  readonly path: readonly PathSegment[];
  readonly op: AssertOp;
  /** Right-hand side as written (quotes removed); absent for `exists`. */
  readonly value?: string;
}

const FORM = /^\s*(\S+)\s+(==|!=|<=|>=|<|>|matches|exists)(?:\s+(.*?))?\s*$/;

/** Parses `PATH OP VALUE` (or `PATH exists`); a string is the error. */
export function parseAssertion(text: string): JsonAssertion | string {
  const m = FORM.exec(text);
  if (!m) return `"${text}" is not an assertion: write PATH OP VALUE, e.g. "status == healthy" (operators: == != < <= > >= matches exists)`;
  const path = parseJsonPath(m[1]!);
  if (typeof path === 'string') return path;
  const op = m[2] as AssertOp;
  let value = m[3];
  if (op === 'exists') {
    if (value) return `"${text}": "exists" takes no value`;
    return { text, path, op };
  }
  if (value === undefined || value === '') return `"${text}": "${op}" needs a value`;
  if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
  if (op === 'matches') {
    try {
      new RegExp(value);
    } catch (e) {
      return `"${text}": bad regular expression: ${(e as Error).message}`;
    }
  }
  if (['<', '<=', '>', '>='].includes(op) && !Number.isFinite(Number(value))) return `"${text}": "${op}" needs a number`;
  return { text, path, op, value };
}

/** The outcome of one assertion against a document. */
export interface AssertionOutcome {
  readonly passed: boolean;
  /** What the document held at the path, as text (`(missing)` when absent). */
  readonly measured: string;
}

/** Renders a JSON value for a person; long values are cut. */
export function showValue(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/**
 * Evaluates an assertion. `==`/`!=` compare numbers numerically when both sides are numbers,
 * booleans/null by their JSON spelling, and otherwise as strings — so `status == healthy` and
 * `count == 3` both read naturally. Ordering operators need a numeric measured value.
 */
export function evaluateAssertion(a: JsonAssertion, doc: unknown): AssertionOutcome {
  const { found, value } = readJsonPath(doc, a.path);
  if (a.op === 'exists') return { passed: found && value !== undefined, measured: found ? showValue(value) : '(missing)' };
  if (!found) return { passed: false, measured: '(missing)' };
  const rhs = a.value!;
  const measured = showValue(value);
  switch (a.op) {
    case '==':
    case '!=': {
      const eq = looseEqual(value, rhs);
      return { passed: a.op === '==' ? eq : !eq, measured };
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n)) return { passed: false, measured: `${measured} (not a number)` };
      return { passed: compareNumbers(n, a.op, Number(rhs)), measured };
    }
    case 'matches':
      return { passed: typeof value === 'string' || typeof value === 'number' ? new RegExp(rhs).test(String(value)) : false, measured };
    default:
      return { passed: false, measured };
  }
}

function looseEqual(value: unknown, rhs: string): boolean {
  if (typeof value === 'number') return rhs.trim() !== '' && Number(rhs) === value;
  if (typeof value === 'boolean' || value === null) return String(value) === rhs;
  if (typeof value === 'string') return value === rhs;
  // Objects/arrays: compare their JSON with the right-hand side as written.
  return JSON.stringify(value) === rhs;
}

/** `n OP limit` for the ordering operators. */
export function compareNumbers(n: number, op: '<' | '<=' | '>' | '>=' | '==' | '!=', limit: number): boolean {
  switch (op) {
    case '<':
      return n < limit;
    case '<=':
      return n <= limit;
    case '>':
      return n > limit;
    case '>=':
      return n >= limit;
    case '==':
      return n === limit;
    case '!=':
      return n !== limit;
  }
}
