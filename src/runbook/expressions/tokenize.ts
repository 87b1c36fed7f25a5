import { err, ok, type Result } from '../../core/result.js';

/**
 * Tokens of the expression language. Hand-written (as is the parser) because no maintained npm
 * package evaluates exactly GitHub-Actions-style expressions, safely (no `eval`, no prototype
 * access) and with source offsets for diagnostics; the language is small enough that ~150 lines
 * are cheaper to trust than a general-purpose evaluator.
 */
export type Token =
  | { readonly kind: 'ident'; readonly value: string; readonly offset: number }
  | { readonly kind: 'string'; readonly value: string; readonly offset: number }
  | { readonly kind: 'number'; readonly value: number; readonly offset: number }
  | { readonly kind: 'punct'; readonly value: Punct; readonly offset: number }
  | { readonly kind: 'end'; readonly offset: number };

export type Punct = '.' | ',' | '(' | ')' | '[' | ']' | '==' | '!=' | '<=' | '>=' | '<' | '>' | '&&' | '||' | '!';

export interface SyntaxFailure {
  readonly message: string;
  /** Offset in the expression source where the problem is. */
  readonly offset: number;
}

const PUNCT2 = ['==', '!=', '<=', '>=', '&&', '||'] as const;
const PUNCT1 = ['.', ',', '(', ')', '[', ']', '<', '>', '!'] as const;
// Identifiers may contain '-' like step ids (`steps.verify-backup.outputs.id`), as in GitHub.
const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;
const NUMBER = /-?(?:0x[0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/y;

/** Splits an expression into tokens; the last one is always `end`. */
export function tokenize(src: string): Result<Token[], SyntaxFailure> {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      const str = readString(src, i, c);
      if (!str.ok) return str;
      tokens.push({ kind: 'string', value: str.value.value, offset: i });
      i = str.value.next;
      continue;
    }
    const two = src.slice(i, i + 2);
    const p2 = PUNCT2.find((p) => p === two);
    if (p2) {
      tokens.push({ kind: 'punct', value: p2, offset: i });
      i += 2;
      continue;
    }
    NUMBER.lastIndex = i;
    const num = (c >= '0' && c <= '9') || ((c === '-' || c === '.') && /[0-9.]/.test(src[i + 1] ?? '')) ? NUMBER.exec(src) : null;
    if (num) {
      tokens.push({ kind: 'number', value: Number(num[0]), offset: i });
      i += num[0].length;
      continue;
    }
    const p1 = PUNCT1.find((p) => p === c);
    if (p1) {
      tokens.push({ kind: 'punct', value: p1, offset: i });
      i++;
      continue;
    }
    IDENT.lastIndex = i;
    const id = IDENT.exec(src);
    if (id) {
      tokens.push({ kind: 'ident', value: id[0], offset: i });
      i += id[0].length;
      continue;
    }
    return err({ message: `unexpected character ${JSON.stringify(c)}`, offset: i });
  }
  tokens.push({ kind: 'end', offset: src.length });
  return ok(tokens);
}

/**
 * A quoted string. Single quotes as in GitHub (`''` is a quote); double quotes are accepted too
 * (DESIGN.md writes `vars.DEPLOY == "fly"`), with `""` or `\"` for a quote inside.
 */
function readString(src: string, start: number, q: string): Result<{ value: string; next: number }, SyntaxFailure> {
  let out = '';
  let i = start + 1;
  while (i < src.length) {
    const c = src[i]!;
    if (c === q) {
      if (src[i + 1] === q) {
        out += q;
        i += 2;
        continue;
      }
      return ok({ value: out, next: i + 1 });
    }
    if (q === '"' && c === '\\' && i + 1 < src.length) {
      out += src[i + 1];
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  return err({ message: 'unterminated string', offset: start });
}
