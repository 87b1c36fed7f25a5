import { performance } from 'node:perf_hooks';
import { compileHttpExpect, type HttpCheckOptions } from '../http-check.js';
import { sendHttpRequest } from '../http-request.js';
import { parseJsonPath, readJsonPath } from '../json-path.js';
import { measurePostgres, type PostgresCheckOptions } from '../postgres-check.js';
import { measureRedis, type RedisCheckOptions } from '../redis-check.js';
import { probePort } from '../tcp-check.js';
import type { Probe, ProbeReading } from './probe.js';

/** HTTP probe: the same request and `expect` as check/http; `metric` reads a number from the JSON body. */
export function httpProbe(o: HttpCheckOptions & { readonly metric?: string }, timeoutMs: number): Probe {
  const expect = compileHttpExpect(o.expect, 'monitor http probe');
  const metricPath = o.metric !== undefined ? parseJsonPath(o.metric) : undefined;
  if (typeof metricPath === 'string') throw new Error(metricPath);
  return {
    async measure(signal) {
      const limit = o.timeoutMs ?? timeoutMs;
      const t0 = performance.now();
      const r = await sendHttpRequest({ ...o, timeoutMs: limit, signal });
      // A timed-out request waited the whole limit: its latency is at least that. Measured, the
      // timer can fire a fraction of a millisecond early, which put a 400 ms timeout at 399.4 ms.
      if (!r.ok) return { outcome: 'error', cause: r.error, ...(r.error.reason === 'timeout' && { ms: Math.max(limit, performance.now() - t0) }) };
      const ms = r.value.ms;
      const failed = expect.judge(r.value).find((i) => !i.passed);
      let value: number | undefined;
      if (metricPath) {
        try {
          const got = readJsonPath(JSON.parse(r.value.body.toString('utf8')), metricPath);
          value = got.found && Number.isFinite(Number(got.value)) ? Number(got.value) : undefined;
        } catch {
          value = undefined;
        }
        if (value === undefined) return { outcome: 'failure', ms, detail: `metric ${o.metric} not a number in the body` };
      }
      if (failed) return { outcome: 'failure', ms, ...(value !== undefined && { value }), detail: `${failed.name}: expected ${failed.expected}, measured ${failed.measured}` };
      return { outcome: 'success', ms, ...(value !== undefined && { value }), detail: String(r.value.status) };
    },
  };
}

export function tcpProbe(o: { host?: string; port: number }, timeoutMs: number): Probe {
  const host = o.host ?? '127.0.0.1';
  return {
    async measure(signal) {
      const p = await probePort(host, o.port, timeoutMs, signal);
      if (p.state === 'listening') return { outcome: 'success', ms: p.ms };
      if (p.state === 'free') return { outcome: 'error', ms: p.ms, cause: { reason: 'refused', message: `connection refused by ${host}:${o.port}` } };
      return { outcome: 'error', ms: p.ms, cause: p.cause };
    },
  };
}

/** Postgres probe: value = connections in pg_stat_activity (a `metric` condition can bound it). */
export function postgresProbe(o: PostgresCheckOptions, timeoutMs: number): Probe {
  return {
    async measure(signal): Promise<ProbeReading> {
      const m = await measurePostgres({ ...o, timeoutMs: o.timeoutMs ?? timeoutMs }, signal);
      if (!m.ok) return { outcome: 'error', cause: m.error };
      return { outcome: 'success', ms: m.value.ms, value: m.value.connections, detail: `${m.value.connections} connections` };
    },
  };
}

export function redisProbe(o: RedisCheckOptions, timeoutMs: number): Probe {
  return {
    async measure(signal): Promise<ProbeReading> {
      const t0 = performance.now();
      const m = await measureRedis({ ...o, timeoutMs: o.timeoutMs ?? timeoutMs }, signal);
      if (!m.ok) return { outcome: 'error', ms: performance.now() - t0, cause: m.error };
      return m.value.reply === 'PONG' ? { outcome: 'success', ms: m.value.ms } : { outcome: 'failure', ms: m.value.ms, detail: `PING answered ${m.value.reply}` };
    },
  };
}
