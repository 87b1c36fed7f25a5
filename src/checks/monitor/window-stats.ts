import type { Measurement, ProbeStats } from './monitor-types.js';
import { percentile, sortedCopy } from './percentile.js';

/**
 * Statistics of one probe's measurements. Latency percentiles use every measurement that has a
 * latency: success, failure, inconclusive, and timeouts with the time waited (a lower bound of
 * the true latency — leaving them out would let the slowest answers vanish from p95). Other
 * errors (refused, reset, DNS) have no latency. Availability = successes / all.
 */
export function computeProbeStats(probe: string, description: string, ms: readonly Measurement[]): ProbeStats {
  let successes = 0;
  let failures = 0;
  let errors = 0;
  let inconclusive = 0;
  let run = 0;
  let maxRun = 0;
  const lat: number[] = [];
  let maxValue: number | undefined;
  let lastValue: number | undefined;
  for (const m of ms) {
    if (m.outcome === 'error') {
      if (m.timedOut && m.ms !== undefined) lat.push(m.ms);
      errors++;
      run++;
      maxRun = Math.max(maxRun, run);
      continue;
    }
    run = 0;
    if (m.outcome === 'success') successes++;
    else if (m.outcome === 'failure') failures++;
    else inconclusive++;
    if (m.ms !== undefined) lat.push(m.ms);
    if (m.value !== undefined) {
      lastValue = m.value;
      maxValue = maxValue === undefined ? m.value : Math.max(maxValue, m.value);
    }
  }
  const sorted = sortedCopy(lat);
  const count = ms.length;
  return {
    probe,
    description,
    count,
    successes,
    failures,
    errors,
    inconclusive,
    maxConsecutiveErrors: maxRun,
    ...(count > 0 && { availability: (successes / count) * 100 }),
    ...(sorted.length > 0 && { p50: percentile(sorted, 0.5)!, p95: percentile(sorted, 0.95)!, p99: percentile(sorted, 0.99)!, maxMs: sorted[sorted.length - 1]! }),
    ...(lastValue !== undefined && { lastValue, maxValue }),
  };
}
