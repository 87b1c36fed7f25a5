/**
 * Percentile by linear interpolation between closest ranks (Hyndman & Fan type 7, the default
 * of R, NumPy and Excel's PERCENTILE.INC): for sorted x[0..n-1] and p in [0,1],
 * h = (n-1)·p, result = x[⌊h⌋] + (h-⌊h⌋)·(x[⌊h⌋+1] - x[⌊h⌋]). Chosen over nearest-rank because
 * it is continuous in p and converges to the distribution's quantile without a step bias.
 * Returns undefined for an empty list.
 */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  const n = sorted.length;
  if (n === 0) return undefined;
  if (p <= 0) return sorted[0];
  if (p >= 1) return sorted[n - 1];
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  const b = sorted[Math.min(lo + 1, n - 1)]!;
  return a + (h - lo) * (b - a);
}

/** Sorts a copy ascending (numeric). */
export function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}
