import { resolve } from 'node:path';
import { requireDuration } from '../../core/duration.js';
import { UserError } from '../../core/errors.js';
import { redactUrl } from '../../checks/http-check.js';
import { parseCondition, type Condition, type ConditionOp } from '../../checks/monitor/condition.js';
import { commandProbe } from '../../checks/monitor/command-probe.js';
import { logFileProbe } from '../../checks/monitor/log-file-probe.js';
import type { MonitorOptions, MonitorProbe, ProbeInconclusive, ProbeThresholds } from '../../checks/monitor/monitor-types.js';
import { httpProbe, postgresProbe, redisProbe, tcpProbe } from '../../checks/monitor/probes.js';
import { describePostgres } from '../../checks/postgres-check.js';
import { describeRedis } from '../../checks/redis-check.js';
import { checkHttpsOnly } from '../../checks/https-only-check.js';
import { checkProbe } from '../../checks/monitor/check-probe.js';
import { checkRoutes } from '../../checks/routes-check.js';
import { parseByteSize, readCa, toHttpExpect, toHttpsOnlyOptions, toRoutesOptions, type ConvertEnv } from './to-options.js';
import type { MonitorWithT, ProbeWithT } from './with-schemas.js';

/** Converts monitor `with:` into library options (probes constructed, conditions parsed). */
export async function toMonitorOptions(w: MonitorWithT, c: ConvertEnv): Promise<MonitorOptions> {
  const intervalMs = requireDuration(w.interval ?? '10s', 'monitor interval');
  if (intervalMs <= 0) throw new UserError('SG_MONITOR_BAD_INTERVAL', 'monitor interval: must be more than 0', 'use an interval like 10s');
  const names = new Set<string>();
  const probes: MonitorProbe[] = [];
  for (const p of w.probes) {
    if (names.has(p.name)) throw new UserError('SG_MONITOR_DUPLICATE_PROBE', `monitor: two probes are named "${p.name}"`, 'give each probe its own name');
    names.add(p.name);
    // Probe timeouts do not follow the interval: a slow answer must be measured as slow, not cut
    // to an error (a slow round delays the next tick instead).
    probes.push(await toProbe(p, 10_000, c));
  }
  return {
    durationMs: requireDuration(w.duration, 'monitor duration'),
    intervalMs,
    ...(w['initial-delay'] !== undefined && { initialDelayMs: requireDuration(w['initial-delay'], 'monitor initial-delay') }),
    ...(w['failure-limit'] !== undefined && { failureLimit: w['failure-limit'] }),
    ...(w['consecutive-error-limit'] !== undefined && { consecutiveErrorLimit: w['consecutive-error-limit'] }),
    ...(w['inconclusive-limit'] !== undefined && { inconclusiveLimit: w['inconclusive-limit'] }),
    ...(w['min-measurements'] !== undefined && { minMeasurements: w['min-measurements'] }),
    probes,
  };
}

async function toProbe(p: ProbeWithT, defaultTimeoutMs: number, c: ConvertEnv): Promise<MonitorProbe> {
  const where = `monitor probe ${p.name}`;
  const timeoutMs = p.timeout !== undefined ? requireDuration(p.timeout, `${where} timeout`) : defaultTimeoutMs;
  const base = { name: p.name, ...(p.thresholds && { thresholds: toThresholds(p.thresholds, where) }), ...(p.inconclusive && { inconclusive: toInconclusive(p.inconclusive, where) }) };
  const probeTimeout = p.http?.timeout !== undefined ? requireDuration(p.http.timeout, `${where} http.timeout`) : timeoutMs;
  for (const k of ['p50', 'p95', 'p99'] as const) {
    const c = base.thresholds?.[k];
    // A timeout counts as "at least the timeout": with a limit at or above it, slow answers could never fail it.
    if (c && c.op.startsWith('<') && c.value >= probeTimeout) {
      throw new UserError('SG_MONITOR_THRESHOLD_ABOVE_TIMEOUT', `${where}: thresholds.${k} ${c.text} is not below the probe timeout (${probeTimeout}ms), so it could never fail`, `raise the probe's timeout above ${c.value}ms`);
    }
  }
  if (p.http) {
    const h = p.http;
    const probe = httpProbe(
      {
        url: h.url,
        ...(h.method && { method: h.method }),
        ...(h.headers && { headers: h.headers }),
        ...(h.body !== undefined && { body: h.body }),
        ...(h.expect && { expect: toHttpExpect(h.expect, where) }),
        ...(h.timeout !== undefined && { timeoutMs: requireDuration(h.timeout, `${where} http.timeout`) }),
        ...(h['max-body'] !== undefined && { maxBodyBytes: parseByteSize(h['max-body']) }),
        ...(h.ca !== undefined && { ca: await readCa(h.ca, c.cwd, `${where} ca`) }),
        ...(h.metric !== undefined && { metric: h.metric }),
      },
      timeoutMs,
    );
    return { ...base, description: `http ${(h.method ?? 'GET').toUpperCase()} ${redactUrl(h.url)}`, probe };
  }
  if (p.tcp) return { ...base, description: `tcp ${p.tcp.host ?? '127.0.0.1'}:${p.tcp.port}`, probe: tcpProbe(p.tcp, timeoutMs) };
  if (p.postgres) return { ...base, description: `postgres ${describePostgres(p.postgres.url)} (metric: connections)`, probe: postgresProbe({ url: p.postgres.url }, timeoutMs) };
  if (p.redis) return { ...base, description: `redis ${describeRedis(p.redis.url ?? 'redis://127.0.0.1:6379')}`, probe: redisProbe(p.redis, timeoutMs) };
  if (p.command) {
    const cmd = p.command;
    return { ...base, description: `command ${cmd.run.slice(0, 60)}`, probe: commandProbe({ run: cmd.run, cwd: c.cwd, env: c.env, ...(cmd.json !== undefined && { json: cmd.json }), ...(cmd.regex !== undefined && { regex: regex(cmd.regex, where) }) }, timeoutMs) };
  }
  if (p['log-file']) {
    const l = p['log-file'];
    return { ...base, description: `log-file ${l.path} /${l.pattern}/`, probe: logFileProbe({ path: resolve(c.cwd, l.path), pattern: regex(l.pattern, where), ...(l['max-matches'] !== undefined && { maxMatches: l['max-matches'] }) }) };
  }
  if (p.routes) {
    const o = await toRoutesOptions(p.routes, c);
    return { ...base, description: `routes ${redactUrl(o.baseUrl)} (${o.routes.length})`, probe: checkProbe((signal) => checkRoutes({ timeoutMs, ...o }, { signal })) };
  }
  if (p['https-only']) {
    const o = await toHttpsOnlyOptions(p['https-only'], c);
    return { ...base, description: `https-only ${o.host}`, probe: checkProbe((signal) => checkHttpsOnly({ timeoutMs, ...o }, { signal })) };
  }
  throw new UserError('SG_MONITOR_NO_PROBE_KIND', `${where}: no probe kind`, 'give one of http, tcp, postgres, redis, command, log-file, routes, https-only');
}

const cond = (v: string | number | undefined, op: ConditionOp, where: string): Condition | undefined => (v === undefined ? undefined : parseCondition(v, op, where));

function toThresholds(t: NonNullable<ProbeWithT['thresholds']>, where: string): ProbeThresholds {
  const out: { -readonly [K in keyof ProbeThresholds]: ProbeThresholds[K] } = {};
  if (t.availability !== undefined) out.availability = cond(t.availability, '>=', `${where} thresholds.availability`);
  for (const k of ['p50', 'p95', 'p99'] as const) if (t[k] !== undefined) out[k] = cond(t[k], '<=', `${where} thresholds.${k}`);
  if (t['max-errors'] !== undefined) out.maxErrors = t['max-errors'];
  if (t.metric !== undefined) out.metric = cond(t.metric, '<=', `${where} thresholds.metric`);
  return out;
}

function toInconclusive(t: NonNullable<ProbeWithT['inconclusive']>, where: string): ProbeInconclusive {
  const out: { -readonly [K in keyof ProbeInconclusive]: ProbeInconclusive[K] } = {};
  if (t.availability !== undefined) out.availability = cond(t.availability, '<', `${where} inconclusive.availability`);
  for (const k of ['p50', 'p95', 'p99'] as const) if (t[k] !== undefined) out[k] = cond(t[k], '>', `${where} inconclusive.${k}`);
  if (t.metric !== undefined) out.metric = cond(t.metric, '>', `${where} inconclusive.metric`);
  return out;
}

function regex(source: string, where: string): string {
  try {
    new RegExp(source);
    return source;
  } catch (e) {
    throw new UserError('SG_CHECK_BAD_REGEX', `${where}: bad regular expression: ${(e as Error).message}`, 'fix the pattern');
  }
}
