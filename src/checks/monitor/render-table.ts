import { formatRows } from '../render-items.js';
import type { MonitorResult } from './monitor-types.js';

/** A fixed-width table of per-probe figures, for the terminal and the summary artifact. */
export function renderMonitorTable(r: MonitorResult): string {
  const rows = [['probe', 'count', 'ok', 'fail', 'err', 'incon', 'avail %', 'p50 ms', 'p95 ms', 'p99 ms', 'max value']];
  const f = (n: number | undefined, d = 1): string => (n === undefined ? '-' : n.toFixed(d));
  for (const s of r.stats) {
    rows.push([s.probe, String(s.count), String(s.successes), String(s.failures), String(s.errors), String(s.inconclusive), f(s.availability, 2), f(s.p50), f(s.p95), f(s.p99), s.maxValue === undefined ? '-' : String(s.maxValue)]);
  }
  return `${formatRows(rows)}\n`;
}
