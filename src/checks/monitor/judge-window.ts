import { item, type CheckItem } from '../result.js';
import { holds, type Condition } from './condition.js';
import type { MonitorProbe, ProbeStats } from './monitor-types.js';

export interface WindowLimits {
  readonly failureLimit: number;
  readonly consecutiveErrorLimit: number;
  readonly inconclusiveLimit: number;
  readonly minMeasurements: number;
}

export interface ProbeVerdict {
  readonly status: 'passed' | 'failed' | 'inconclusive';
  readonly items: CheckItem[];
}

const fmtMs = (n: number | undefined): string => (n === undefined ? 'none' : `${n.toFixed(n < 10 ? 2 : 1)}ms`);

/**
 * Judges one probe's window. Order of precedence: failed (a limit or threshold broken) beats
 * inconclusive (too few measurements, or an inconclusive range hit) beats passed. Nothing is
 * passed that was not measured: a probe with no measured reading is at best inconclusive.
 */
export function judgeProbe(p: MonitorProbe, s: ProbeStats, l: WindowLimits, metricMisses: number): ProbeVerdict {
  const fail: CheckItem[] = [];
  const unsure: CheckItem[] = [];
  const ok: CheckItem[] = [];
  const add = (i: CheckItem, bucket: 'fail' | 'unsure'): void => void (i.passed ? ok : bucket === 'fail' ? fail : unsure).push(i);
  const n = p.name;
  add(item(`${n} failures`, s.failures <= l.failureLimit, `<= ${l.failureLimit} (failure-limit)`, String(s.failures)), 'fail');
  add(item(`${n} consecutive errors`, s.maxConsecutiveErrors <= l.consecutiveErrorLimit, `<= ${l.consecutiveErrorLimit} (consecutive-error-limit)`, String(s.maxConsecutiveErrors)), 'fail');
  // However generous the limits, a probe that never once succeeded does not pass.
  if (s.failures > 0) add(item(`${n} successes`, s.successes > 0, '>= 1', `${s.successes} of ${s.count}`), 'fail');
  const t = p.thresholds ?? {};
  if (t.maxErrors !== undefined) add(item(`${n} errors`, s.errors <= t.maxErrors, `<= ${t.maxErrors}`, String(s.errors)), 'fail');
  if (t.availability) add(cond(`${n} availability`, t.availability, s.availability, (v) => `${v.toFixed(2)}% (${s.successes}/${s.count})`, '%'), 'fail');
  for (const k of ['p50', 'p95', 'p99'] as const) {
    const c = t[k];
    if (c) add(cond(`${n} ${k}`, c, s[k], fmtMs, 'ms'), 'fail');
  }
  if (t.metric) add(item(`${n} metric`, metricMisses === 0, `every reading ${t.metric.text}`, s.maxValue === undefined ? 'no value' : `${metricMisses} reading(s) outside; max ${s.maxValue}, last ${s.lastValue}`), 'fail');
  const measured = s.count - s.errors;
  add(item(`${n} measurements`, measured >= l.minMeasurements, `>= ${l.minMeasurements} measured`, `${measured} of ${s.count}`), 'unsure');
  add(item(`${n} inconclusive readings`, s.inconclusive <= l.inconclusiveLimit, `<= ${l.inconclusiveLimit}`, String(s.inconclusive)), 'unsure');
  const u = p.inconclusive ?? {};
  for (const k of ['p50', 'p95', 'p99', 'availability'] as const) {
    const c = u[k];
    // An inconclusive range is "measured inside it" → a person decides; outside it is fine.
    if (c && s[k] !== undefined) add(item(`${n} ${k} not in inconclusive range`, !holds(c, s[k]!), `not ${c.text}`, k === 'availability' ? `${s[k]!.toFixed(2)}%` : fmtMs(s[k])), 'unsure');
  }
  const status = fail.length > 0 ? 'failed' : unsure.length > 0 ? 'inconclusive' : 'passed';
  return { status, items: [...fail, ...unsure, ...ok] };
}

function cond(name: string, c: Condition, v: number | undefined, show: (v: number) => string, unit: string): CheckItem {
  if (v === undefined) return item(name, false, `${c.text}${c.text.endsWith(unit) ? '' : unit}`, 'not measured');
  return item(name, holds(c, v), c.text, show(v));
}
