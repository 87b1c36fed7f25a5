/**
 * Literals of which every match must contain at least one, e.g. `TODO|FIXME` → [TODO, FIXME],
 * `function\s+\w+\(` → [function]; undefined when no such set is known. A file whose bytes
 * contain none of them cannot match, so it is neither decoded nor given to the regex
 * (`Buffer.indexOf` on raw bytes is several times cheaper than UTF-8 decoding plus a regex).
 *
 * Hand-written and deliberately conservative: anything it does not fully understand (case
 * folding, `\p{…}`, `\u…`, back-references…) yields undefined, which only costs speed.
 */
export function requiredLiterals(jsSource: string, flags: string): string[] | undefined {
  if (flags.includes('i') || /\\[pPuxkc0-9]/.test(jsSource)) return undefined;
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
      else end(); // \w, \s, \d, \b…: not a literal
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
