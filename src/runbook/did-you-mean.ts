/**
 * The closest candidate to a misspelt name, or undefined when nothing is close enough. Distance
 * is an edit distance (with transpositions) on lower-cased names with `_` read as `-` (so `exit_codes` → `exit-codes`);
 * "close enough" is at most a third of the name's length (at least 1 edit), or the only
 * candidate that starts with the name (or that the name starts with).
 */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/_/g, '-');
  const n = norm(name);
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(n, norm(c));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best !== undefined || n.length < 3) return best;
  // A shortened name (`admin` for `administrator`) is far in edits but plainly meant.
  const prefixed = [...candidates].filter((c) => norm(c).startsWith(n) || n.startsWith(norm(c)));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/**
 * Edit distance with adjacent transpositions counting as one edit (optimal string alignment),
 * so `dealy` is one edit from `delay`.
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, cur[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      cur[j] = d;
    }
    rows.push(cur);
  }
  return rows[a.length]![b.length]!;
}

/** `; did you mean "x"?` or the empty string. */
export function suggestion(name: string, candidates: Iterable<string>): string {
  const s = didYouMean(name, candidates);
  return s === undefined ? '' : `; did you mean "${s}"?`;
}
