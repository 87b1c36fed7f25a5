import { performance } from 'node:perf_hooks';
import { formatDuration } from '../../core/duration.js';
import type { CheckEnv, CheckItem } from '../result.js';
import { sleep } from '../sleep.js';
import { holds } from './condition.js';
import { judgeProbe, type WindowLimits } from './judge-window.js';
import type { Measurement, MonitorOptions, MonitorProbe, MonitorResult } from './monitor-types.js';
import { errorReading, type ProbeReading } from './probe.js';
import { computeProbeStats } from './window-stats.js';

/**
 * Watches a window: after `initialDelayMs`, every `intervalMs` for `durationMs`, measures every
 * probe (concurrently, each bounded by the interval), keeps every measurement, and judges the
 * window with Argo-style limits. Stops early — failed — as soon as a probe's failures exceed
 * `failureLimit` or its consecutive errors exceed `consecutiveErrorLimit`.
 *
 *   ─ initial delay ─┬─ tick ─┬─ tick ─┬─ … ─┤ duration
 *                    measure every probe at each tick; a slow round delays the next tick
 */
export async function runMonitor(o: MonitorOptions, env: CheckEnv = {}): Promise<MonitorResult> {
  const clock = env.clock ?? (() => new Date());
  const startedAt = clock();
  const ticks = Math.max(1, Math.ceil(o.durationMs / o.intervalMs));
  const limits: WindowLimits = {
    failureLimit: o.failureLimit ?? 0,
    consecutiveErrorLimit: o.consecutiveErrorLimit ?? 4,
    inconclusiveLimit: o.inconclusiveLimit ?? 0,
    minMeasurements: o.minMeasurements ?? Math.min(3, ticks),
  };
  const measurements: Measurement[] = [];
  // Probes need a signal even when the caller gave none.
  const signal = env.signal ?? new AbortController().signal;
  const per = new Map(o.probes.map((p) => [p.name, { failures: 0, run: 0, metricMisses: 0, list: [] as Measurement[] }]));
  let stoppedEarly: string | undefined;
  let overran: string | undefined;
  for (const p of o.probes) await p.probe.start?.();
  try {
    if (!(await sleep(o.initialDelayMs ?? 0, env.signal))) stoppedEarly = 'aborted during the initial delay';
    const t0 = performance.now();
    for (let k = 0; !stoppedEarly && k < ticks; ) {
      if (env.signal?.aborted) {
        stoppedEarly = 'aborted';
        break;
      }
      const tickStart = performance.now();
      // Each probe carries its own timeout (the interval by default), so no tick-wide deadline
      // cuts a probe that was explicitly given longer.
      const readings = await Promise.all(o.probes.map((p) => measureSafely(p, signal)));
      const offsetMs = tickStart - t0;
      const t = new Date(startedAt.getTime() + (o.initialDelayMs ?? 0) + offsetMs).toISOString();
      readings.forEach((r, i) => {
        const p = o.probes[i]!;
        const m = toMeasurement(p, r, t, offsetMs);
        const s = per.get(p.name)!;
        if (m.outcome === 'failure' && m.detail?.startsWith('metric ')) s.metricMisses++;
        s.failures += m.outcome === 'failure' ? 1 : 0;
        s.run = m.outcome === 'error' ? s.run + 1 : 0;
        s.list.push(m);
        measurements.push(m);
        o.onMeasurement?.(m);
        if (!stoppedEarly && s.failures > limits.failureLimit) stoppedEarly = `${p.name}: ${s.failures} failures > failure-limit ${limits.failureLimit} (last: ${m.detail})`;
        if (!stoppedEarly && s.run > limits.consecutiveErrorLimit) stoppedEarly = `${p.name}: ${s.run} consecutive errors > consecutive-error-limit ${limits.consecutiveErrorLimit} (last: ${m.detail})`;
      });
      // Every tick is taken (a fixed count, so windows compare); a round slower than the
      // interval delays the next one instead of dropping it — up to twice the duration, so slow
      // probes cannot stretch a window without end. Fewer ticks then show as fewer measurements.
      k++;
      if (k < ticks && performance.now() - t0 > 2 * o.durationMs + o.intervalMs) {
        overran = `window over time after ${k} of ${ticks} ticks (probes slower than the interval)`;
        break;
      }
      if (!stoppedEarly && k < ticks) await sleep(t0 + k * o.intervalMs - performance.now(), env.signal);
    }
  } finally {
    for (const p of o.probes) await p.probe.close?.().catch(() => {});
  }
  const endedAt = clock();
  const items: CheckItem[] = [];
  const stats = o.probes.map((p) => computeProbeStats(p.name, p.description, per.get(p.name)!.list));
  const verdicts = o.probes.map((p, i) => judgeProbe(p, stats[i]!, limits, per.get(p.name)!.metricMisses));
  for (const v of verdicts) items.push(...v.items);
  if (env.signal?.aborted) items.unshift({ name: 'window', passed: false, expected: `${formatDuration(o.durationMs)} watched`, measured: 'aborted' });
  const status = env.signal?.aborted || verdicts.some((v) => v.status === 'failed') ? 'failed' : verdicts.some((v) => v.status === 'inconclusive') ? 'inconclusive' : 'passed';
  const first = items.find((i) => !i.passed);
  const head = `${measurements.length} measurements of ${o.probes.length} probe(s) over ${formatDuration(endedAt.getTime() - startedAt.getTime())}`;
  const summary =
    status === 'passed'
      ? `monitor passed: ${head}; ${stats.map((s) => `${s.probe} ${s.availability?.toFixed(1) ?? '-'}%${s.p95 !== undefined ? ` p95 ${Math.round(s.p95)}ms` : ''}`).join(', ')}`
      : `monitor ${status}: ${first ? `${first.name}: expected ${first.expected}, measured ${first.measured}` : ''}${stoppedEarly ? ` — stopped early: ${stoppedEarly}` : ''} (${head})`;
  return {
    status,
    summary,
    items,
    stats,
    measurements,
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    durationMs: o.durationMs,
    intervalMs: o.intervalMs,
    ...((stoppedEarly ?? overran) && { stoppedEarly: stoppedEarly ?? overran }),
    latencyLimits: o.probes.flatMap((p) => (['p95', 'p99', 'p50'] as const).filter((k) => p.thresholds?.[k]).slice(0, 1).map((k) => ({ probe: p.name, label: `${p.name} ${k} ${p.thresholds![k]!.text}`, ms: p.thresholds![k]!.value }))),
  };
}

function toMeasurement(p: MonitorProbe, r: ProbeReading, t: string, offsetMs: number): Measurement {
  const base = { t, offsetMs: Math.round(offsetMs), probe: p.name, ...(r.ms !== undefined && { ms: round2(r.ms) }) };
  if (r.outcome === 'error') return { ...base, outcome: 'error', ...(r.cause.reason === 'timeout' && { timedOut: true }), detail: `${r.cause.reason}: ${r.cause.message}` };
  const value = r.value;
  const withValue = { ...base, ...(value !== undefined && { value }) };
  if (r.outcome === 'failure') return { ...withValue, outcome: 'failure', detail: r.detail };
  const metric = p.thresholds?.metric;
  if (metric && (value === undefined || !holds(metric, value))) return { ...withValue, outcome: 'failure', detail: `metric ${value ?? 'missing'} not ${metric.text}` };
  const unsure = p.inconclusive?.metric;
  if (unsure && value !== undefined && holds(unsure, value)) return { ...withValue, outcome: 'inconclusive', detail: `metric ${value} is ${unsure.text} (inconclusive range)` };
  return { ...withValue, outcome: 'success', ...(r.detail !== undefined && { detail: r.detail }) };
}

async function measureSafely(p: MonitorProbe, signal: AbortSignal): Promise<ProbeReading> {
  const t0 = performance.now();
  try {
    const r = await p.probe.measure(signal);
    // A timeout keeps the time waited: a lower bound of the latency, used by the percentiles so
    // that slow answers cannot hide as errors.
    return r.outcome === 'error' && r.cause.reason === 'timeout' && r.ms === undefined ? { ...r, ms: performance.now() - t0 } : r;
  } catch (e) {
    return errorReading(e);
  }
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
