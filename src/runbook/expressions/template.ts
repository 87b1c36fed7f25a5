import { err, ok, type Result } from '../../core/result.js';
import type { SyntaxFailure } from './tokenize.js';

/** A piece of a template: literal text, or the source of one `${{ … }}` expression. */
export type TemplateSegment =
  | { readonly kind: 'text'; readonly text: string }
  /** `offset` is where the expression source (after `${{`) starts in the template. */
  | { readonly kind: 'expr'; readonly src: string; readonly offset: number };

const OPEN = '${{';

/**
 * Splits a template at its `${{ … }}` expressions. A `}}` inside a quoted string does not close
 * the expression (`${{ format('{{x}}') }}`), so this scans with quote state rather than a regex.
 */
export function scanTemplate(template: string): Result<TemplateSegment[], SyntaxFailure> {
  const out: TemplateSegment[] = [];
  let pos = 0;
  for (;;) {
    const open = template.indexOf(OPEN, pos);
    if (open < 0) {
      if (pos < template.length) out.push({ kind: 'text', text: template.slice(pos) });
      return ok(out);
    }
    if (open > pos) out.push({ kind: 'text', text: template.slice(pos, open) });
    const start = open + OPEN.length;
    const close = findClose(template, start);
    if (close < 0) return err({ message: 'unclosed "${{" (no matching "}}")', offset: open });
    out.push({ kind: 'expr', src: template.slice(start, close), offset: start });
    pos = close + 2;
  }
}

function findClose(s: string, from: number): number {
  let quote: string | null = null;
  for (let i = from; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '}' && s[i + 1] === '}') {
      return i;
    }
  }
  return -1;
}

/** True when the string holds at least one `${{`. */
export const hasExpression = (s: string): boolean => s.includes(OPEN);

/** The expression source when `s` is exactly one `${{ expr }}` (surrounding spaces allowed). */
export function soleExpression(s: string): { src: string; offset: number } | null {
  const scanned = scanTemplate(s.trim());
  if (!scanned.ok || scanned.value.length !== 1) return null;
  const seg = scanned.value[0]!;
  if (seg.kind !== 'expr') return null;
  return { src: seg.src, offset: seg.offset + (s.length - s.trimStart().length) };
}
