/**
 * The closest candidate to a misspelt name, or undefined when nothing is close enough. Distance
 * is Levenshtein on lower-cased names with `_` read as `-` (so `exit_codes` → `exit-codes`);
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

/** Levenshtein distance, two rows. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** `; did you mean "x"?` or the empty string. */
export function suggestion(name: string, candidates: Iterable<string>): string {
  const s = didYouMean(name, candidates);
  return s === undefined ? '' : `; did you mean "${s}"?`;
}
