import { UserError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';

/** A pattern ready for searching: the line regex and a chunk pre-filter regex. */
export interface CompiledPattern {
  /** The pattern as the user wrote it. */
  readonly source: string;
  /** The JavaScript source after rg-isms were translated. */
  readonly jsSource: string;
  readonly flags: string;
  /** Notes about translations that were applied (shown with --verbose, recorded in JSON). */
  readonly notes: readonly string[];
}

/**
 * Compiles a ripgrep-style pattern into a JavaScript RegExp source.
 *
 * Regex semantics are JavaScript's (ECMAScript with the `u` flag), not Rust's `regex` crate.
 * Common rg-isms are translated: a leading inline flag group `(?i)`, `(?s)`, `(?m)` (or a
 * combination like `(?is)`), named groups `(?P<name>…)`, `\z`/`\A` anchors (a line is the
 * unit, so they mean end/start of line), `\x{…}`, `\pL`, escaped punctuation, and `\w`, `\d`,
 * `\s`, `\b`, which become rg's Unicode classes (translateEscapes). Things that have no faithful
 * JS equivalent are refused with a clear error rather than silently meaning something else:
 * `(?x)` verbose mode, inline flag groups in the middle of a pattern, and POSIX classes
 * `[[:alpha:]]`.
 *
 * @throws UserError SG_AUDIT_BAD_REGEX (exit 2) naming the pattern and the 1-based position.
 */
export function compilePattern(source: string, opts: { ignoreCase?: boolean } = {}): CompiledPattern {
  if (source.length === 0) {
    throw badRegex(source, 1, 'the pattern is empty (it would match every line)');
  }
  const notes: string[] = [];
  let js = source;
  let flags = opts.ignoreCase ? 'i' : '';
  const lead = /^\(\?([a-zA-Z]+)\)/.exec(js);
  if (lead) {
    for (const f of lead[1]!) {
      if (f === 'i' || f === 's' || f === 'm') {
        if (!flags.includes(f)) flags += f;
      } else if (f === 'x') {
        throw badRegex(source, 3, 'verbose mode (?x) has no JavaScript equivalent; remove it and the whitespace/comments it allowed');
      } else if (f === 'u' || f === 'U') {
        throw badRegex(source, 3, `inline flag (?${f}) is not supported; remove it`);
      } else {
        throw badRegex(source, 3, `unknown inline flag "${f}"`);
      }
    }
    js = js.slice(lead[0].length);
    notes.push(`leading (?${lead[1]}) became the JS flag(s) "${lead[1]}"`);
  }
  const midFlag = /\(\?[a-zA-Z]+[):]/.exec(js);
  if (midFlag) {
    throw badRegex(source, source.length - js.length + midFlag.index + 1, 'inline flag groups are only supported at the start of the pattern in JavaScript');
  }
  const posix = /\[\[:([a-z]+):\]\]/.exec(js);
  if (posix) {
    throw badRegex(source, source.length - js.length + posix.index + 1, `POSIX class [[:${posix[1]}:]] is not JavaScript; use \\p{…} or an explicit class like [A-Za-z]`);
  }
  if (js.includes('(?P<')) {
    js = js.replaceAll('(?P<', '(?<');
    notes.push('(?P<name>…) became (?<name>…)');
  }
  const offset = source.length - js.length;
  const translated = translateEscapes(js, source, offset, notes);
  js = translated.js;
  // Always Unicode mode (closest to rg, which is Unicode-aware). Compiling without it, as a
  // fallback, silently changed what escapes mean (`\pL` became the text "pL", `\x{41}` 41 x's).
  const first = tryCompile(js, flags + 'u');
  if (first === undefined) return { source, jsSource: js, flags: flags + 'u', notes };
  // The error is found in the translated source; `at` maps it back to the pattern as written
  // (`\\w` became ~50 characters, which put positions past the end of the pattern).
  const where = locateError(js, flags + 'u', first);
  throw badRegex(source, offset + (translated.at[where] ?? translated.at.length) + 1, first);
}

/**
 * rg's (Rust regex's) Unicode classes, spelled with JavaScript's property escapes: `\w` is
 * Alphabetic + marks + decimal digits + connector punctuation + join controls, `\d` is decimal
 * digits, `\s` is White_Space. JavaScript's own `\w` and `\d` are ASCII even in Unicode mode, and
 * its `\s` has U+FEFF but not U+0085: `function\s+\w+\(` missed `function 𠮷野家(`.
 */
const WORD = '\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}';
const UNICODE_CLASSES = {
  w: { atom: `[${WORD}]`, inClass: WORD },
  W: { atom: `[^${WORD}]`, inClass: '' }, // inside a class: see translateEscapes
  d: { atom: '\\p{Nd}', inClass: '\\p{Nd}' },
  D: { atom: '\\P{Nd}', inClass: '\\P{Nd}' },
  s: { atom: '\\p{White_Space}', inClass: '\\p{White_Space}' },
  S: { atom: '\\P{White_Space}', inClass: '\\P{White_Space}' },
} as const;
/** A Unicode word boundary: a word character on exactly one side. */
const WORD_BOUNDARY = `(?:(?<=[${WORD}])(?![${WORD}])|(?<![${WORD}])(?=[${WORD}]))`;
const NOT_WORD_BOUNDARY = `(?:(?<=[${WORD}])(?=[${WORD}])|(?<![${WORD}])(?![${WORD}]))`;

/** The translated source, and for each of its characters the index in the input it came from. */
interface Translated {
  readonly js: string;
  readonly at: readonly number[];
}

/** Characters JavaScript's Unicode mode lets be escaped as themselves. */
const SYNTAX = new Set('^$\\.*+?()[]{}|/');

/**
 * Rewrites escapes rg (Rust's regex) reads differently, walking the pattern so that an escaped
 * backslash (`C:\\Apps`) is never taken for the start of another escape:
 * - `\A`, `\z` become `^`, `$` (a line is the unit of search);
 * - `\x{41}` becomes `\u{41}`, `\pL` becomes `\p{L}`;
 * - an escaped punctuation character that Unicode mode refuses (`\-` outside a class, `\_`,
 *   `\"`, `\:`) becomes the character itself, which is what it means to rg;
 * - `\n`, or a line break in the pattern, is refused: lines are searched one at a time, so it
 *   could never match (rg refuses it too).
 */
function translateEscapes(js: string, source: string, offset: number, notes: string[]): Translated {
  let out = '';
  const at: number[] = [];
  const emit = (text: string, from: number): void => {
    out += text;
    for (let k = 0; k < text.length; k++) at.push(from);
  };
  let inClass = false;
  const changed = new Set<string>();
  for (let i = 0; i < js.length; i++) {
    const c = js[i]!;
    if (c === '\n' || (c === '\\' && js[i + 1] === 'n')) {
      throw badRegex(source, offset + i + 1, 'a pattern cannot match a line break: lines are searched one at a time');
    }
    if (c !== '\\') {
      if (inClass) inClass = c !== ']';
      else inClass = c === '[';
      emit(c, i);
      continue;
    }
    const n = js[i + 1];
    if (n === undefined) {
      emit(c, i); // a trailing backslash: the compile says so
      continue;
    }
    if (!inClass && (n === 'A' || n === 'z')) {
      emit(n === 'A' ? '^' : '$', i);
      changed.add(`\\${n} became ${n === 'A' ? '^' : '$'} (a line is the unit of search)`);
    } else if (n === 'x' && js[i + 2] === '{' && js.indexOf('}', i + 3) > i + 3) {
      const close = js.indexOf('}', i + 3);
      emit(`\\u{${js.slice(i + 3, close)}}`, i);
      changed.add('\\x{…} became \\u{…}');
      i = close;
      continue;
    } else if ((n === 'p' || n === 'P') && /[A-Za-z]/.test(js[i + 2] ?? '')) {
      emit(`\\${n}{${js[i + 2]}}`, i);
      changed.add(`\\${n}X became \\${n}{X}`);
      i += 2;
      continue;
    } else if (n in UNICODE_CLASSES && !(inClass && n === 'W')) {
      // rg's classes are Unicode's; JavaScript's are ASCII even in Unicode mode.
      const u = UNICODE_CLASSES[n as keyof typeof UNICODE_CLASSES];
      emit(inClass ? u.inClass : u.atom, i);
      changed.add('\\w, \\d, \\s (and \\W, \\D, \\S) became their Unicode classes, as in rg');
    } else if (inClass && n === 'W') {
      emit(c + n, i); // the complement of a union has no spelling inside a class without the v flag
      changed.add('\\W inside a character class keeps JavaScript\'s ASCII meaning (not a letter, digit or _ of ASCII)');
    } else if (!inClass && (n === 'b' || n === 'B')) {
      emit(n === 'b' ? WORD_BOUNDARY : NOT_WORD_BOUNDARY, i);
      changed.add('\\b and \\B became Unicode word boundaries, as in rg');
    } else if (n === '<' || n === '>') {
      throw badRegex(source, offset + i + 1, `\\${n} is a word boundary in newer ripgrep and an error in older; write \\b`);
    } else if (/[^A-Za-z0-9]/.test(n) && !SYNTAX.has(n) && !(inClass && n === '-')) {
      emit(n, i);
      changed.add('escaped punctuation became the character itself');
    } else {
      emit(c + n, i);
    }
    i++;
  }
  notes.push(...changed);
  return { js: out, at };
}

/** Builds a RegExp from a compiled pattern with extra flags (`g` for scanning, `m` for chunks). */
export function toRegExp(p: CompiledPattern, extra = ''): RegExp {
  return new RegExp(p.jsSource, p.flags + extra);
}

function tryCompile(src: string, flags: string): string | undefined {
  try {
    new RegExp(src, flags);
    return undefined;
  } catch (e) {
    // V8: "Invalid regular expression: /src/flags: Reason" — keep the reason only.
    const msg = (e as Error).message;
    const prefix = `Invalid regular expression: /${src}/${flags}: `;
    return msg.startsWith(prefix) ? msg.slice(prefix.length) : msg;
  }
}

/**
 * Finds the 0-based position of a syntax error. V8 does not report one, so: an unterminated
 * group or class points at its unmatched opener; anything else at the end of the shortest
 * prefix that fails with the same reason (e.g. the `*` in `a**`).
 */
function locateError(src: string, flags: string, reason: string): number {
  if (/Unterminated (group|character class)/.test(reason)) {
    const stack: number[] = [];
    let inClass = -1;
    for (let i = 0; i < src.length; i++) {
      const c = src[i];
      if (c === '\\') {
        i++;
        continue;
      }
      if (inClass >= 0) {
        if (c === ']') inClass = -1;
        continue;
      }
      if (c === '[') inClass = i;
      else if (c === '(') stack.push(i);
      else if (c === ')') stack.pop();
    }
    if (inClass >= 0) return inClass;
    return stack.at(-1) ?? 0;
  }
  for (let end = 1; end <= src.length; end++) {
    if (tryCompile(src.slice(0, end), flags) === reason) return end - 1;
  }
  return 0;
}

function badRegex(pattern: string, position: number, reason: string): UserError {
  return new UserError(
    'SG_AUDIT_BAD_REGEX',
    `invalid pattern "${pattern}" at position ${position}: ${reason}`,
    'fix the pattern (JavaScript RegExp syntax; see docs/audit.md "Regex semantics"), then run the audit again',
    ExitCode.InvalidInput,
    { pattern, position, reason },
  );
}
