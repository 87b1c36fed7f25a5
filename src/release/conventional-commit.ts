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

/**
 * Parses one commit message (subject + body). Hand-written: the grammar is four lines, and the
 * parsers on npm bring a dependency tree for the same result.
 */
export function parseConventionalCommit(hash: string, message: string): ParsedCommit {
  const [first = '', ...rest] = message.split('\n');
  const body = rest.join('\n');
  const footer = /^BREAKING[ -]CHANGE:\s*([\s\S]+?)(?:\n\n|$)/m.exec(body);
  const m = HEADER.exec(first.trim());
  const base = footer ? { breakingNote: footer[1]!.trim() } : {};
  if (!m) return { hash, type: 'other', breaking: Boolean(footer), subject: first.trim(), ...base };
  return {
    hash,
    type: m[1]!.toLowerCase(),
    ...(m[2] ? { scope: m[2] } : {}),
    breaking: Boolean(m[3]) || Boolean(footer),
    subject: m[4]!.trim(),
    ...base,
  };
}
