import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCondition } from '../../src/checks/monitor/condition.js';
import { commandProbe } from '../../src/checks/monitor/command-probe.js';
import { logFileProbe } from '../../src/checks/monitor/log-file-probe.js';
import type { Measurement, MonitorProbe } from '../../src/checks/monitor/monitor-types.js';
import { httpProbe } from '../../src/checks/monitor/probes.js';
import { runMonitor } from '../../src/checks/monitor/run-monitor.js';
import { renderMonitorChart } from '../../src/checks/monitor/chart-svg.js';
import { Stack, startHttpServer } from '../support/checks-servers.js';

const stack = new Stack();
afterEach(() => stack.dispose());

/** A server whose n-th answer (1-based) is decided by `plan`. */
async function plannedServer(plan: (n: number) => 'ok' | 'fail' | 'reset' | { delayMs: number }) {
  let n = 0;
  return stack.use(startHttpServer((req, res) => {
    const what = plan(++n);
    if (what === 'reset') return void req.socket.destroy();
    const send = (): void => {
      res.writeHead(what === 'fail' ? 500 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: what === 'fail' ? 'degraded' : 'healthy', n }));
    };
    if (typeof what === 'object') setTimeout(send, what.delayMs);
    else send();
  }));
}

const api = (url: string, extra: Partial<MonitorProbe> = {}): MonitorProbe => ({ name: 'api', description: `http ${url}`, probe: httpProbe({ url, expect: { status: 200 } }, 500), ...extra });

describe('monitor', () => {
  it('passes a steady window and keeps every measurement', async () => {
    const s = await plannedServer(() => 'ok');
    const seen: Measurement[] = [];
    const r = await runMonitor({ durationMs: 600, intervalMs: 100, probes: [api(s.url, { thresholds: { availability: parseCondition('99%', '>=', 't'), p95: parseCondition('400ms', '<=', 't') } })], onMeasurement: (m) => seen.push(m) });
    expect(r.status).toBe('passed');
    expect(r.measurements.length).toBe(6);
    expect(seen).toEqual(r.measurements);
    expect(r.stats[0]).toMatchObject({ count: 6, successes: 6, availability: 100 });
    expect(r.items.find((i) => i.name === 'api p95')).toMatchObject({ passed: true, expected: '<= 400ms' });
  });

  it('failure-limit: stops and fails once failures exceed the limit', async () => {
    const s = await plannedServer((n) => (n % 2 === 0 ? 'fail' : 'ok'));
    const r = await runMonitor({ durationMs: 3000, intervalMs: 100, failureLimit: 1, probes: [api(s.url)] });
    expect(r.status).toBe('failed');
    expect(r.stoppedEarly).toMatch(/^api: 2 failures > failure-limit 1 \(last: status: expected 200, measured 500\)/);
    expect(r.measurements.length).toBe(4); // ok, fail, ok, fail → stop
    expect(r.items.find((i) => i.name === 'api failures')).toMatchObject({ passed: false, expected: '<= 1 (failure-limit)', measured: '2' });
  });

  it('failure-limit: the same flapping passes when the limit allows it', async () => {
    const s = await plannedServer((n) => (n % 4 === 0 ? 'fail' : 'ok'));
    const r = await runMonitor({ durationMs: 800, intervalMs: 100, failureLimit: 3, probes: [api(s.url)] });
    expect(r.stats[0]!.failures).toBe(2);
    expect(r.status).toBe('passed');
  });

  it('timeouts count in the percentiles with the time waited, so slow answers cannot hide as errors', async () => {
    const s = await plannedServer((n) => (n % 3 === 0 ? { delayMs: 1500 } : 'ok'));
    const r = await runMonitor({
      durationMs: 900,
      intervalMs: 100,
      consecutiveErrorLimit: 10,
      failureLimit: 10,
      probes: [{ name: 'api', description: 'http', probe: httpProbe({ url: s.url }, 400), thresholds: { p95: parseCondition('300ms', '<=', 't') } }],
    });
    expect(r.stats[0]!.errors).toBe(3);
    expect(r.measurements.filter((m) => m.timedOut)).toHaveLength(3);
    expect(r.stats[0]!.p95).toBeGreaterThanOrEqual(400);
    expect(r.items.find((i) => i.name === 'api p95')).toMatchObject({ passed: false, expected: '<= 300ms' });
    expect(r.status).toBe('failed');
  });

  it('a probe that never succeeded fails however generous the failure-limit', async () => {
    const s = await plannedServer(() => 'fail');
    const r = await runMonitor({ durationMs: 300, intervalMs: 100, failureLimit: 10, probes: [api(s.url)] });
    expect(r.status).toBe('failed');
    expect(r.items.find((i) => !i.passed)).toMatchObject({ name: 'api successes', expected: '>= 1', measured: '0 of 3' });
  });

  it('consecutive-error-limit: fails on a run of errors, not on scattered ones', async () => {
    const dying = await plannedServer((n) => (n <= 2 ? 'ok' : 'reset'));
    const r = await runMonitor({ durationMs: 3000, intervalMs: 100, consecutiveErrorLimit: 2, probes: [api(dying.url)] });
    expect(r.status).toBe('failed');
    expect(r.stoppedEarly).toMatch(/^api: 3 consecutive errors > consecutive-error-limit 2 \(last: reset: /);
    expect(r.measurements.map((m) => m.outcome)).toEqual(['success', 'success', 'error', 'error', 'error']);

    const scattered = await plannedServer((n) => (n % 2 === 0 ? 'reset' : 'ok'));
    const ok = await runMonitor({ durationMs: 800, intervalMs: 100, consecutiveErrorLimit: 2, probes: [api(scattered.url)] });
    expect(ok.stats[0]!.errors).toBe(4);
    expect(ok.stats[0]!.maxConsecutiveErrors).toBe(1);
    expect(ok.status).toBe('passed');
  });

  it('inconclusive when too few measurements were taken', async () => {
    const s = await plannedServer((n) => (n === 1 ? 'ok' : 'reset'));
    const r = await runMonitor({ durationMs: 500, intervalMs: 100, consecutiveErrorLimit: 10, minMeasurements: 3, probes: [api(s.url)] });
    expect(r.status).toBe('inconclusive');
    expect(r.items.find((i) => !i.passed)).toMatchObject({ name: 'api measurements', expected: '>= 3 measured', measured: '1 of 5' });
  });

  it('inconclusive when p95 falls in the explicit inconclusive range', async () => {
    const s = await plannedServer(() => ({ delayMs: 60 }));
    const r = await runMonitor({
      durationMs: 500,
      intervalMs: 100,
      probes: [api(s.url, { thresholds: { p95: parseCondition('1000ms', '<=', 't') }, inconclusive: { p95: parseCondition('> 40ms', '>', 't') } })],
    });
    expect(r.status).toBe('inconclusive');
    expect(r.items.find((i) => !i.passed)!.name).toBe('api p95 not in inconclusive range');
    expect(r.summary).toMatch(/^monitor inconclusive: api p95 not in inconclusive range/);
  });

  it('log-file: only new lines count, and a 5xx line fails the window', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sg-mon-'));
    stack.defer(() => rm(dir, { recursive: true, force: true }));
    const log = join(dir, 'access.log');
    await writeFile(log, '10.0.0.1 "GET /old" 500 12\n'.repeat(5)); // before the window: ignored
    // Lines are appended from the measurement callback, so the test does not depend on timing.
    const writes: Promise<void>[] = [];
    const onMeasurement = (): void => {
      const n = writes.length;
      if (n === 0) writes.push(appendFile(log, '10.0.0.1 "GET /a" 200 12\n10.0.0.1 "GET /b" 302 4\n'));
      else if (n === 2) writes.push(appendFile(log, '10.0.0.1 "GET /c" 200 9\n10.0.0.2 "POST /jobs" 503 40\n'));
      else writes.push(Promise.resolve());
    };
    const r = await runMonitor({ durationMs: 1000, intervalMs: 100, onMeasurement, probes: [{ name: '5xx', description: 'log-file access.log', probe: logFileProbe({ path: log, pattern: ' 5\\d\\d ' }) }] });
    await Promise.all(writes);
    expect(r.measurements.slice(0, 3).map((m) => m.value)).toEqual([0, 0, 0]);
    expect(r.status).toBe('failed');
    expect(r.stoppedEarly).toContain('1 new line(s) match / 5\\d\\d /, first: 10.0.0.2 "POST /jobs" 503 40');
    expect(r.measurements.filter((m) => m.outcome === 'failure')).toHaveLength(1);
  });

  it('log-file: a quiet log passes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sg-mon-'));
    stack.defer(() => rm(dir, { recursive: true, force: true }));
    const log = join(dir, 'access.log');
    await writeFile(log, '10.0.0.1 "GET /old" 503 12\n');
    const r = await runMonitor({ durationMs: 300, intervalMs: 100, probes: [{ name: '5xx', description: 'log', probe: logFileProbe({ path: log, pattern: ' 5\\d\\d ' }) }] });
    expect(r.status).toBe('passed');
  });

  it('command: parses a metric from JSON output and judges it per measurement', async () => {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    const probe = (limit: string): MonitorProbe => ({
      name: 'queue',
      description: 'command',
      probe: commandProbe({ run: `echo '{"queue":{"depth":5}}'`, cwd: tmpdir(), env, json: 'queue.depth' }, 2000),
      thresholds: { metric: parseCondition(limit, '<=', 't') },
    });
    const ok = await runMonitor({ durationMs: 300, intervalMs: 100, probes: [probe('< 10')] });
    expect(ok.status).toBe('passed');
    expect(ok.measurements[0]).toMatchObject({ value: 5, outcome: 'success' });
    const bad = await runMonitor({ durationMs: 300, intervalMs: 100, probes: [probe('< 3')] });
    expect(bad.status).toBe('failed');
    expect(bad.measurements[0]).toMatchObject({ outcome: 'failure', detail: 'metric 5 not < 3' });
  });

  it('renders a chart with axes, thresholds and error markers', async () => {
    const s = await plannedServer((n) => (n === 3 ? 'reset' : n === 5 ? 'fail' : { delayMs: 5 }));
    const r = await runMonitor({ durationMs: 800, intervalMs: 100, failureLimit: 5, probes: [api(s.url, { thresholds: { p95: parseCondition('300ms', '<=', 't') } })] });
    const svg = renderMonitorChart(r);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('latency (ms)');
    expect(svg).toContain('time since the window started');
    expect(svg).toContain('api p95 &lt;= 300ms');
    expect(svg).toContain('1 errors, 1 failures');
  });
});
