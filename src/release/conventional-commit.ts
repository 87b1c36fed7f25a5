/** A commit parsed by the Conventional Commits 1.0 rules. */
export interface ParsedCommit {
  readonly hash: string;
  /** `feat`, `fix`, `chore`, …; `other` when the subject does not follow the convention. */
  readonly type: string;
  readonly scope?: string;
  /** `!` after the type/scope, or a `BREAKING CHANGE:` / `BREAKING-CHANGE:` footer. */
  readonly breaking: boolean;
  readonly subject: string;
  /** The text of the BREAKING CHANGE footer, when there is one. */
  readonly breakingNote?: string;
}

const HEADER = /^(\w+)(?:\(([^)]*)\))?(!)?:\s*(.+)$/;
const BREAKING = /^BREAKING[ -]CHANGE:\s*(.*)$/;
/** A footer's start: `Token: value` or `Token #value` (git trailer style). */
const FOOTER_TOKEN = /^(?:BREAKING CHANGE|[\w-]+)(?:: | #)/;

/**
 * The text of the BREAKING CHANGE footer, '' when it has none, undefined when there is no such
 * footer. A footer runs over several lines until a blank line or the next footer token.
 */
function breakingFooter(lines: readonly string[]): string | undefined {
  const start = lines.findIndex((l) => BREAKING.test(l));
  if (start < 0) return undefined;
  const text = [BREAKING.exec(lines[start]!)![1]!];
  for (const l of lines.slice(start + 1)) {
    if (!l.trim() || FOOTER_TOKEN.test(l)) break;
    text.push(l);
  }
  return text.join('\n').trim();
}

/**
 * Parses one commit message (subject + body). Hand-written: the grammar is four lines, and the
 * parsers on npm bring a dependency tree for the same result.
 */
export function parseConventionalCommit(hash: string, message: string): ParsedCommit {
  const [first = '', ...rest] = message.split('\n');
  const note = breakingFooter(rest);
  const footer = note !== undefined;
  const m = HEADER.exec(first.trim());
  const base = note ? { breakingNote: note } : {};
  if (!m) return { hash, type: 'other', breaking: footer, subject: first.trim(), ...base };
  return {
    hash,
    type: m[1]!.toLowerCase(),
    ...(m[2] ? { scope: m[2] } : {}),
    breaking: Boolean(m[3]) || footer,
    subject: m[4]!.trim(),
    ...base,
  };
}
