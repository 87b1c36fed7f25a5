/**
 * A fast, deliberately loose reading of gitignore files: one regular expression that finds, in a
 * NUL-separated listing of paths, every path a gitignore rule could ignore, and possibly more.
 *
 * Why not an exact matcher: the exact answer comes from git (tracked-ignored.ts asks it about
 * the few paths found here); this only has to never miss one. So every rule is read as a
 * superset of what it matches: negations (`!rule`, which can only un-ignore) are dropped,
 * directory-only rules (`rule/`) also match files, case is ignored, and a bracket expression
 * (`[a-z]`) matches anything from there on. What it must get right, and does, is where a rule
 * applies: below its file's directory, anchored there when it holds a `/`, else at any depth,
 * and to everything inside a directory it matches.
 */

/** An ignore file's text and the directory its rules are relative to ('' or `a/b/`). */
export interface IgnoreSource {
  readonly base: string;
  readonly text: string;
}

/** The rules of `sources` as one expression; see supersetRegex. */
export interface IgnoreSuperset {
  /** Global, case-insensitive: matches inside `\0path\0path…\0` listings, where a path could be ignored. */
  readonly regex: RegExp;
  /** How many positive rules it holds (0: nothing can be ignored). */
  readonly rules: number;
}

/**
 * The positive rules of `sources` as one global expression over a listing in which every path
 * (relative to the repository root) is preceded and followed by NUL. A match lies inside a path
 * (it starts at the NUL before it or at a `/` in it) that a rule could ignore, itself or through
 * one of its directories; every path git would ignore holds a match.
 *
 * Rules that could match a file named `.gitignore` get a second reading: such a file may be
 * untracked and ignored, so no listing shows it, yet git reads it. Its rules apply only inside
 * its directory, so every path inside a directory where the rule could match a `.gitignore` is
 * also matched, and git itself then judges them.
 */
export function supersetRegex(sources: readonly IgnoreSource[]): IgnoreSuperset {
  const atStart: string[] = []; // from the NUL before a path
  const atName: string[] = []; // from the NUL before a path or a slash in it
  for (const { base, text } of sources) {
    for (const rule of positiveRules(text)) {
      for (const r of readings(rule, base)) (r.fromName ? atName : atStart).push(r.source);
    }
  }
  // Grouped by where they start, so the engine tests that character once for each group rather
  // than once for each rule (a third of the time on a 27k-file listing). Each alternative ends
  // where a path component ends: at the next `/` or NUL.
  const groups = [atStart.length ? `\\0(?:${atStart.join('|')})` : '', atName.length ? `[\\0/](?:${atName.join('|')})` : ''].filter(Boolean);
  const source = groups.length ? `(?:${groups.join('|')})(?=[\\0/])` : '(?!)';
  return { regex: new RegExp(source, 'gi'), rules: atStart.length + atName.length };
}

/**
 * The rules of a gitignore text that ignore (not `!…`), as git reads lines: a leading BOM and
 * comment lines skipped, a CR before the LF dropped, unescaped trailing spaces trimmed.
 */
export function positiveRules(text: string): string[] {
  const rules: string[] = [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (const raw of body.split('\n')) {
    if (raw === '' || raw.startsWith('#')) continue;
    const line = trimTrailingSpaces(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
    if (line === '' || line.startsWith('!')) continue;
    rules.push(line);
  }
  return rules;
}

/** git's trim_trailing_spaces (dir.c): trailing spaces go unless the first is escaped. */
function trimTrailingSpaces(line: string): string {
  let lastSpace = -1;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === ' ') {
      if (lastSpace < 0) lastSpace = i;
    } else {
      if (c === '\\' && ++i === line.length) return line; // a trailing lone backslash keeps it all
      lastSpace = -1;
    }
  }
  return lastSpace < 0 ? line : line.slice(0, lastSpace);
}

/** An expression for one rule, matching from the NUL before a path, or also from a `/` in it (`fromName`). */
interface Reading {
  readonly source: string;
  readonly fromName: boolean;
}

/** The expressions one rule of the ignore file in `base` contributes (none, one or two). */
function readings(ruleText: string, base: string): Reading[] {
  const dirOnly = ruleText.endsWith('/');
  const rule = dirOnly ? ruleText.slice(0, -1) : ruleText; // git strips one trailing slash
  if (rule === '') return [];
  const at = escape(base);
  // A rule without a slash matches a name at any depth; with one, the whole path from `base`.
  const anchored = rule.includes('/');
  const body = glob(anchored && rule.startsWith('/') ? rule.slice(1) : rule);
  if (body === '') return [];
  const out: Reading[] = [anchored || base !== '' ? { source: anchored ? at + body : `${at}(?:[^\\0]*/)?${body}`, fromName: false } : { source: body, fromName: true }];
  // See supersetRegex: everything inside a directory where this rule could match `.gitignore`.
  if (!dirOnly && mayMatchGitignore(rule)) {
    const cut = rule.lastIndexOf('/');
    const dir = anchored ? glob(rule.slice(rule.startsWith('/') ? 1 : 0, Math.max(cut, 0))) : '';
    out.push({ source: anchored && dir !== '' ? `${at}${dir}/[^/\\0]*` : `${at}[^/\\0]*`, fromName: false });
  }
  return out;
}

/** Whether the last component of `rule` could match the name `.gitignore` (loosely: yes when unsure). */
function mayMatchGitignore(rule: string): boolean {
  const last = rule.slice(rule.lastIndexOf('/') + 1);
  if (/[[\\]/.test(last)) return true;
  const re = new RegExp(`^${last.replace(/[.+^${}()|\]\\]/g, '\\$&').replace(/\*+/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test('.gitignore');
}

/**
 * A gitignore glob as a regular expression matching at least what git's wildmatch matches:
 * `*` within a component, `**` across components (`**` + `/` also matches no directory at all),
 * `?` one character, a backslash the next character literally. From a bracket expression on,
 * anything matches (exact bracket syntax, `[[:alpha:]]` and all, is not worth the risk here).
 */
function glob(p: string): string {
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      if (i + 1 === p.length) return out + '[^\\0]*'; // git's wildmatch never matches it; anything is a superset
      out += escape(p[++i]!);
    } else if (c === '*') {
      let end = i;
      while (p[end + 1] === '*') end++;
      if (end === i) out += '[^/\\0]*';
      else if (p[end + 1] === '/' && (i === 0 || p[i - 1] === '/')) {
        out += '(?:[^\\0]*/)?';
        end++; // the slash is part of it
      } else out += '[^\\0]*';
      i = end;
    } else if (c === '?') out += '[^/\\0]';
    else if (c === '[') return out + '[^\\0]*';
    else out += escape(c);
  }
  return out;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
