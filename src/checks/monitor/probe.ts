import type { MeasureFailure } from '../result.js';

/** One reading of a probe, before the monitor applies its metric conditions. */
export type ProbeReading =
  | { readonly outcome: 'success'; readonly ms?: number; readonly value?: number; readonly detail?: string }
  | { readonly outcome: 'failure'; readonly ms?: number; readonly value?: number; readonly detail: string }
  /** Could not measure: the cause says why. */
  | { readonly outcome: 'error'; readonly ms?: number; readonly cause: MeasureFailure };

/** Something measured once per tick. Implementations: one file each (http, tcp, postgres, redis, command, log-file). */
export interface Probe {
  /** Called once before the first tick (e.g. the log-file probe remembers where the file ends). */
  start?(): Promise<void>;
  measure(signal: AbortSignal): Promise<ProbeReading>;
  close?(): Promise<void>;
}

/** Message of an unexpected exception inside a probe (a bug in a probe must not pass). */
export function errorReading(e: unknown, ms?: number): ProbeReading {
  return { outcome: 'error', ...(ms !== undefined && { ms }), cause: { reason: 'other', message: String((e as Error)?.message ?? e) } };
}
