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
  /**
   * The listing's paths must be given from the repository root (`under` + path). Otherwise they
   * are given from `under`, the search root: the rules were rewritten for it.
   */
  readonly fromRepositoryRoot: boolean;
}

/**
 * The positive rules of `sources` as one global expression over a listing in which every path
 * is preceded and followed by NUL. A match lies inside a path (it starts at the NUL before it or
 * at a `/` in it) that a rule could ignore, itself or through one of its directories; every path
 * git would ignore holds a match.
 *
 * `under` ('' or `a/b/`) is the directory the listing's paths are relative to. Where every rule
 * allows it, they are rewritten for paths from there (rules for other directories dropped, the
 * rest shortened): otherwise each of the paths would have to be prefixed with `under` and
 * tested against every rule, most of which then start by matching `under` again (~25 ms over
 * babel's 27k paths under `packages/`).
 */
export function supersetRegex(sources: readonly IgnoreSource[], under = ''): IgnoreSuperset {
  const readings: Reading[] = [];
  for (const { base, text } of sources) {
    for (const rule of positiveRules(text)) {
      const r = reading(rule, base);
      if (r) readings.push(r);
    }
  }
  const moved = under === '' ? readings : underRoot(readings, under);
  return { ...expression(moved ?? readings), fromRepositoryRoot: under !== '' && moved === undefined };
}

function expression(readings: readonly Reading[]): { regex: RegExp; rules: number } {
  const atStart = new Trie(); // from the NUL before a path
  const atName: string[] = []; // from the NUL before a path or a slash in it
  for (const r of readings) {
    if (r.fromName) atName.push(r.rest);
    else atStart.add(r.head, r.rest);
  }
  // Grouped by where they start, and rules under one directory behind its name, so that the
  // engine tests the NUL (or slash) once per position and `packages/` once per path, not once
  // per rule (about half the time over babel's 27k-path listing, as one flat alternation). Each
  // alternative ends where a path component ends: at the next `/` or NUL.
  const groups = [readings.length > atName.length ? `\\0(?:${atStart.source()})` : '', atName.length ? `[\\0/](?:${alternation(atName)})` : ''].filter(Boolean);
  const source = groups.length ? `(?:${groups.join('|')})(?=[\\0/])` : '(?!)';
  return { regex: new RegExp(source, 'gi'), rules: readings.length };
}

/** The start of a name rule from a nested .gitignore: any directories below it. */
const ANY_DEPTH = '(?:[^\\0]*/)?';

/**
 * How many slashes every match of the expression `rest` holds: it matches `/` only as a literal
 * `\/`. Undefined where it can cross any number (`[^\0]*`, from `**`).
 */
function slashes(rest: string): number | undefined {
  const literal = rest.split('\\/').length - 1;
  // `[^/\0]` never matches a slash; any other `/` (inside `[^\0]*`, which crosses them) makes it unbounded.
  return rest.includes('[^\\0]*') || rest.replaceAll('[^/\\0]', '').replaceAll('\\/', '').includes('/') ? undefined : literal;
}

/** Whether `s` starts with `start` when case is ignored as the expression ignores it. */
function caseless(s: string, start: string): boolean {
  return new RegExp(`^${escape(start)}`, 'i').test(s);
}

/**
 * `readings` (from the repository root) rewritten for paths from `under`, or undefined where a
 * rule cannot be (it could span `under` and a path below it, or it could ignore `under` itself
 * or a directory above it: then every path may be ignored, and the plain way finds that out).
 */
function underRoot(readings: readonly Reading[], under: string): Reading[] | undefined {
  const names = under.slice(0, -1).split('/');
  const matchesName = (rest: string, components: readonly string[]): boolean => {
    const re = new RegExp(`^(?:${rest})$`, 'i');
    return components.some((c) => re.test(c));
  };
  const out: Reading[] = [];
  for (const r of readings) {
    if (r.fromName) {
      // Tested against every name of a path, and `under`'s names come before the listing's.
      if (slashes(r.rest) !== 0 || matchesName(r.rest, names)) return undefined;
      out.push(r);
    } else if (r.head.startsWith(under)) out.push({ ...r, head: r.head.slice(under.length) });
    else if (under.startsWith(r.head)) {
      const rest = under.slice(r.head.length); // the part of `under` the rule's expression starts on
      if (r.rest.startsWith(ANY_DEPTH)) {
        // A name at any depth below the rule's directory: below `under`, a name rule.
        const name = r.rest.slice(ANY_DEPTH.length);
        if (slashes(name) !== 0 || matchesName(name, rest.slice(0, -1).split('/'))) return undefined;
        out.push({ head: '', rest: name, fromName: true });
        continue;
      }
      // Its matches hold a fixed number of slashes: with fewer than `rest`, they end inside it, so
      // the rule can only ignore a directory above the search root.
      const n = slashes(r.rest);
      if (n === undefined || n >= rest.split('/').length - 1 || new RegExp(`^(?:${r.rest})(?=/)`, 'i').test(rest)) return undefined;
    }
    // The same folders but for case (the expression ignores case, as git with core.ignoreCase):
    // the plain way, rather than a second rewrite.
    else if (caseless(r.head, under) || caseless(under, r.head)) return undefined;
    // Otherwise the rule is for another directory: nothing under `under` can match it.
  }
  return out;
}

/** Any name start: `*.log`, `*.cache`… begin with it. */
const ANY_NAME = '[^/\\0]*';

/**
 * Alternatives, those starting with ANY_DEPTH or ANY_NAME behind one shared loop each: each
 * loop runs to the end of the name (or path) and back, once for them all rather than once per
 * rule (name rules from `*.ext` lines, or a nested .gitignore's: ~70 ms over 3,000 paths for
 * 300 rules each on its own, ~3 ms shared).
 */
function alternation(rests: readonly string[]): string {
  const out: string[] = [];
  const shared = new Map<string, string[]>([
    [ANY_DEPTH, []],
    [ANY_NAME, []],
  ]);
  for (const r of rests) {
    const loop = [ANY_DEPTH, ANY_NAME].find((l) => r.startsWith(l));
    if (loop) shared.get(loop)!.push(r.slice(loop.length));
    else out.push(r);
  }
  for (const [loop, tails] of shared) if (tails.length) out.push(`${loop}(?:${tails.join('|')})`);
  return out.join('|');
}

/** Rules keyed by the literal directories they start with (`a/`, `b/`), as nested alternatives. */
class Trie {
  private readonly rests: string[] = [];
  private readonly children = new Map<string, Trie>();

  /** Adds a rule: `head`, literal directories ('' or ending in `/`), then the expression `rest`. */
  add(head: string, rest: string): void {
    const slash = head.indexOf('/');
    if (slash < 0) {
      this.rests.push(rest);
      return;
    }
    const dir = head.slice(0, slash + 1);
    let child = this.children.get(dir);
    if (!child) this.children.set(dir, (child = new Trie()));
    child.add(head.slice(slash + 1), rest);
  }

  source(): string {
    const alternatives = this.rests.length ? [alternation(this.rests)] : [];
    for (const [dir, child] of this.children) alternatives.push(`${escape(dir)}(?:${child.source()})`);
    return alternatives.join('|');
  }
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

/**
 * An expression for one rule: literal directories (`head`, from the NUL before a path) then an
 * expression (`rest`); or, for `fromName`, `rest` alone, from the NUL or any slash.
 */
interface Reading {
  readonly head: string;
  readonly rest: string;
  readonly fromName: boolean;
}

/** The expression for one rule of the ignore file in `base`; undefined for one that matches nothing. */
function reading(ruleText: string, base: string): Reading | undefined {
  const rule = ruleText.endsWith('/') ? ruleText.slice(0, -1) : ruleText; // git strips one trailing slash
  const whole = glob(rule);
  if (whole === '') return undefined;
  // A rule without a slash matches a name at any depth; with one, the whole path from `base`.
  if (!rule.includes('/')) return base === '' ? { head: '', rest: whole, fromName: true } : { head: base, rest: ANY_DEPTH + whole, fromName: false };
  const path = rule.startsWith('/') ? rule.slice(1) : rule;
  const deep = path.replace(/^(?:\*\*\/)+/, '');
  // `**/x` from the root is `x` at any depth, tested where each name starts: as a path's
  // `(?:[^\0]*/)?x`, it walked every path to its end and back (~14 ms of ~33 on babel's listing).
  const name = deep === path ? '' : glob(deep);
  if (base === '' && name !== '') return { head: '', rest: name, fromName: true };
  const [head, rest] = literalHead(path);
  return rest === '' ? undefined : { head: base + head, rest: glob(rest), fromName: false };
}

/**
 * Splits an anchored rule's path into its leading directories without wildcards or escapes
 * (literal, '' or ending in `/`) and the rest.
 */
function literalHead(path: string): [string, string] {
  const wild = path.search(/[*?[\\]/);
  const cut = path.lastIndexOf('/', (wild < 0 ? path.length : wild) - 1) + 1;
  return [path.slice(0, cut), path.slice(cut)];
}

/**
 * Wildcards (`*`, `**`) kept as written per rule; from the next one on, anything matches. Each
 * is a loop the regex engine may backtrack into: `*a*a*a*a*a*a*b` against a 60-character name
 * took seconds, where git's wildmatch answers at once.
 */
const MAX_STARS = 2;

/**
 * A gitignore glob as a regular expression matching at least what git's wildmatch matches:
 * `*` within a component, `**` across components (`**` + `/` also matches no directory at all),
 * a backslash the next character literally. `?` is one byte to git, so up to one UTF-16 unit
 * here (a character never has more units than bytes). From a bracket expression (exact bracket
 * syntax, `[[:alpha:]]` and all, is not worth the risk here) or the third wildcard on, anything
 * matches.
 */
function glob(p: string): string {
  let out = '';
  let stars = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      if (i + 1 === p.length) return out + '[^\\0]*'; // git's wildmatch never matches it; anything is a superset
      out += escape(p[++i]!);
    } else if (c === '*') {
      if (++stars > MAX_STARS) return out + '[^\\0]*';
      let end = i;
      while (p[end + 1] === '*') end++;
      if (end === i) out += '[^/\\0]*';
      else if (p[end + 1] === '/' && (i === 0 || p[i - 1] === '/')) {
        out += ANY_DEPTH;
        end++; // the slash is part of it
      } else out += '[^\\0]*';
      i = end;
    } else if (c === '?') out += '[^/\\0]?';
    else if (c === '[') return out + '[^\\0]*';
    else out += escape(c);
  }
  return out;
}

/** Characters with a meaning in a regular expression (and `/`, harmless escaped). */
const SPECIAL = new Set('.*+?^${}()|[]\\/');

/** `s` as literal text in a regular expression. A loop, not a replace: it runs once per character of every rule. */
function escape(s: string): string {
  let out = '';
  for (const c of s) out += SPECIAL.has(c) ? '\\' + c : c;
  return out;
}
