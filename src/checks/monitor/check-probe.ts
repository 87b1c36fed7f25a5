import type { CheckResult } from '../result.js';
import type { Probe, ProbeReading } from './probe.js';

/**
 * Any check as a monitor probe (routes, https-only, browser): passed → success; measured but
 * failed → failure naming the first failing item; could not measure → error with the cause.
 */
export function checkProbe(run: (signal: AbortSignal) => Promise<CheckResult>): Probe {
  return {
    async measure(signal): Promise<ProbeReading> {
      const r = await run(signal);
      if (r.cause) return { outcome: 'error', ms: r.ms, cause: r.cause };
      if (r.passed) return { outcome: 'success', ms: r.ms };
      const f = r.items.find((i) => !i.passed);
      return { outcome: 'failure', ms: r.ms, detail: f ? `${f.name}: expected ${f.expected ?? '?'}, measured ${f.measured ?? 'nothing'}` : r.summary };
    },
  };
}
