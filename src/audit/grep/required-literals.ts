/**
 * Literals of which every match must contain at least one, e.g. `TODO|FIXME` → [TODO, FIXME],
 * `function\s+\w+\(` → [function]; undefined when no such set is known. A file whose bytes
 * contain none of them cannot match, so it is neither decoded nor given to the regex
 * (`Buffer.indexOf` on raw bytes is several times cheaper than UTF-8 decoding plus a regex).
 *
 * Hand-written and deliberately conservative: an escape that is not escaped punctuation (`\w`,
 * `\p{…}`, `\u…`, a back-reference…) ends a literal, and case-insensitive patterns are left to
 * prefilterFor; missing a literal only costs speed.
 */
export function requiredLiterals(jsSource: string, flags: string): string[] | undefined {
  if (flags.includes('i')) return undefined;
  const out: string[] = [];
  for (const branch of splitTopLevel(jsSource)) {
    const lit = longestLiteral(branch);
    if (!lit) return undefined; // a branch with no literal can match anything
    out.push(lit);
  }
  return out;
}

/** What the native pre-filter looks for (native-scan.ts): literals, and how to compare them. */
export interface Prefilter {
  readonly literals: readonly string[];
  /**
   * 0: bytes as they are; 1: ASCII without case (the literals are lower case); 2: as 1, and a
   * file with any non-ASCII byte may match too. Under the `u` flag JavaScript folds U+212A
   * (Kelvin sign) to k and U+017F (long s) to s, so `-i kit` matches "\u212Ait".
   */
  readonly caseless: 0 | 1 | 2;
}

/**
 * requiredLiterals, extended to case-insensitive patterns whose literals are ASCII: every
 * match contains one of them in some mix of case (or, for k and s, a non-ASCII letter that folds
 * to it: caseless 2). undefined when no such set is known.
 */
export function prefilterFor(jsSource: string, flags: string): Prefilter | undefined {
  if (!flags.includes('i')) {
    const literals = requiredLiterals(jsSource, flags);
    return literals && { literals, caseless: 0 };
  }
  const literals = requiredLiterals(jsSource, flags.replace('i', ''));
  if (!literals || literals.some((l) => !/^[\x00-\x7f]*$/.test(l))) return undefined;
  const lower = literals.map((l) => l.toLowerCase());
  return { literals: lower, caseless: lower.some((l) => /[ks]/.test(l)) ? 2 : 1 };
}

/** Splits at `|` outside groups and classes. */
function splitTopLevel(src: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '[') i = skipClass(src, i);
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(src.slice(start, i));
      start = i + 1;
    }
  }
  out.push(src.slice(start));
  return out;
}

/** The longest run of characters the branch matches literally and unconditionally. */
function longestLiteral(branch: string): string {
  const cs = [...branch]; // code points, so a quantifier never splits a surrogate pair
  let best = '';
  let run: string[] = [];
  const end = (): void => {
    if (run.join('').length > best.length) best = run.join('');
    run = [];
  };
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i]!;
    if (c === '\\') {
      const d = cs[++i] ?? '';
      if (/[^A-Za-z0-9]/.test(d) && d !== '\n') run.push(d); // escaped punctuation: itself
      else {
        end(); // \w, \s, \d, \b, \p{…}, \u…, a back-reference…: not a literal here
        i = escapeEnd(cs, i);
      }
    } else if (c === '*' || c === '?' || c === '{') {
      run.pop(); // the previous character may be absent
      end();
      if (c === '{') while (i < cs.length && cs[i] !== '}') i++;
      if (cs[i + 1] === '?') i++; // lazy quantifier
    } else if (c === '+') {
      end(); // the previous character is there at least once; what follows is not adjacent to it
      if (cs[i + 1] === '?') i++;
    } else if (c === '[' || c === '(') {
      end();
      i = c === '[' ? skipClass(cs, i) : skipGroup(cs, i);
      // A quantifier after a class or group: nothing literal to drop, just skip it.
    } else if ('.^$)]|'.includes(c)) {
      end();
    } else {
      run.push(c);
    }
  }
  end();
  return best;
}

/**
 * The index of the last character of the escape whose letter is at `i` (`\p{L}`, `\u{1F600}`,
 * `\u0041`, `\x41`, `\k<name>`, `\cJ`, `\12`): its body must not be read as literal text or a
 * quantifier (`{L}` is not a repetition).
 */
function escapeEnd(cs: string[], i: number): number {
  const d = cs[i];
  const to = (close: string): number => {
    const j = cs.indexOf(close, i + 1);
    return j < 0 ? cs.length : j;
  };
  if ((d === 'p' || d === 'P' || d === 'u') && cs[i + 1] === '{') return to('}');
  if (d === 'u') return i + 4;
  if (d === 'x') return i + 2;
  if (d === 'k' && cs[i + 1] === '<') return to('>');
  if (d === 'c') return i + 1;
  let j = i;
  if (d !== undefined && /[0-9]/.test(d)) while (/[0-9]/.test(cs[j + 1] ?? '')) j++;
  return j;
}

/** Index of the `]` closing the class opened at `i` (in JS, `[]` is a class: the first `]` closes). */
function skipClass(src: ArrayLike<string>, i: number): number {
  for (let j = i + 1; j < src.length; j++) {
    if (src[j] === '\\') j++;
    else if (src[j] === ']') return j;
  }
  return src.length;
}

/** Index of the `)` closing the group opened at `i` (code point array). */
function skipGroup(cs: string[], i: number): number {
  let depth = 0;
  for (let j = i; j < cs.length; j++) {
    const c = cs[j];
    if (c === '\\') j++;
    else if (c === '[') j = skipClass(cs, j);
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j;
  }
  return cs.length;
}
