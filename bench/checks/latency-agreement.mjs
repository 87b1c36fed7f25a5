// Latency agreement: a local server delays each answer by a value from a known log-normal
// distribution (median 250 ms, sigma 0.5 → P95 = 250·e^(0.5·1.645) = 569 ms), applied as the
// exact quantiles (i+0.5)/N in shuffled order. shipgate's monitor measures the latency through
// HTTP; its P50/P95 are compared with (a) the distribution's, (b) the delays the server says it
// applied, and (c) a bare node:http client timing a twin server (same seed) at the same time —
// the reference that pays the same machine overhead. Goal: within 5%.
// Usage: node bench/checks/latency-agreement.mjs [samples=400] [runs=3]   (after npm run build)
import http from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, machine, median, startServer } from './support.mjs';

const samples = Number(process.argv[2] ?? 400);
const runs = Number(process.argv[3] ?? 3);
const { runMonitor, httpProbe, percentile } = await import(pathToFileURL(join(DIST, 'checks', 'index.js')).href);
const MEDIAN = 250;
const SIGMA = 0.5;
const truth = { p50: MEDIAN, p95: MEDIAN * Math.exp(SIGMA * 1.6448536269514722) };
const PARALLEL = 8; // eight probes per tick, so a run takes ~samples/8 ticks
// A tick lasts as long as its slowest answer (most under 700 ms); the monitor window must hold
// every tick (it stops at twice its duration), so the interval is set near a tick's length.
const INTERVAL = 700;

const results = [];
for (let i = 0; i < runs; i++) {
  // shipgate and the reference run AT THE SAME TIME against two servers with the same delays
  // (same seed), so both pay the same machine overhead (the cores are shared and busy).
  const server = await startServer(['lognormal', String(MEDIAN), String(SIGMA), String(samples), String(42 + i)]);
  const refServer = await startServer(['lognormal', String(MEDIAN), String(SIGMA), String(samples), String(42 + i)]);
  const url = `http://127.0.0.1:${server.port}/health`;
  const refMs = [];
  const reference = async () => {
    const t0Round = performance.now();
    for (let t = 0; t < Math.ceil(samples / PARALLEL); t++) {
      await Promise.all(Array.from({ length: PARALLEL }, () => new Promise((resolve) => {
        const t0 = performance.now();
        http.get({ host: '127.0.0.1', port: refServer.port, path: '/health', agent: false }, (res) => (res.resume(), res.on('end', () => (refMs.push(performance.now() - t0), resolve())))).on('error', resolve);
      })));
      await new Promise((r) => setTimeout(r, Math.max(0, t0Round + (t + 1) * INTERVAL - performance.now())));
    }
  };
  const [r] = await Promise.all([
    runMonitor({
      durationMs: Math.ceil(samples / PARALLEL) * INTERVAL,
      intervalMs: INTERVAL,
      consecutiveErrorLimit: 1000,
      failureLimit: 1000,
      probes: Array.from({ length: PARALLEL }, (_, k) => ({ name: `p${k}`, description: 'http', probe: httpProbe({ url }, 5000), thresholds: {} })),
    }),
    reference(),
  ]);
  const applied = await (await fetch(`http://127.0.0.1:${server.port}/applied`)).json();
  await server.stop();
  await refServer.stop();
  refMs.sort((a, b) => a - b);
  const ref = { p50: percentile(refMs, 0.5), p95: percentile(refMs, 0.95) };
  const ms = r.measurements.filter((m) => m.outcome === 'success').map((m) => m.ms).sort((a, b) => a - b);
  const ap = applied.sort((a, b) => a - b);
  const got = { p50: percentile(ms, 0.5), p95: percentile(ms, 0.95) };
  const srv = { p50: percentile(ap, 0.5), p95: percentile(ap, 0.95) };
  const row = {
    n: ms.length,
    shipgate: got,
    serverApplied: srv,
    errVsDistribution: { p50: got.p50 / truth.p50 - 1, p95: got.p95 / truth.p95 - 1 },
    errVsServer: { p50: got.p50 / srv.p50 - 1, p95: got.p95 / srv.p95 - 1 },
    reference: ref,
    errVsReference: { p50: got.p50 / ref.p50 - 1, p95: got.p95 / ref.p95 - 1 },
    referenceErrVsDistribution: { p50: ref.p50 / truth.p50 - 1, p95: ref.p95 / truth.p95 - 1 },
  };
  results.push(row);
  console.error(`run ${i + 1}: n=${row.n} shipgate p50 ${got.p50.toFixed(1)} p95 ${got.p95.toFixed(1)} | server p50 ${srv.p50.toFixed(1)} p95 ${srv.p95.toFixed(1)} | reference p50 ${ref.p50.toFixed(1)} p95 ${ref.p95.toFixed(1)} | shipgate vs distribution ${(row.errVsDistribution.p50 * 100).toFixed(2)}% / ${(row.errVsDistribution.p95 * 100).toFixed(2)}%`);
}
const pct = (f) => +(median(results.map(f)) * 100).toFixed(2);
console.log(
  JSON.stringify(
    {
      bench: 'latency-agreement',
      samplesPerRun: samples,
      runs,
      distribution: { kind: 'log-normal', medianMs: MEDIAN, sigma: SIGMA, p50: truth.p50, p95: +truth.p95.toFixed(2) },
      medianShipgate: { p50: +median(results.map((r) => r.shipgate.p50)).toFixed(2), p95: +median(results.map((r) => r.shipgate.p95)).toFixed(2) },
      medianErrorVsDistributionPct: { p50: pct((r) => r.errVsDistribution.p50), p95: pct((r) => r.errVsDistribution.p95) },
      medianErrorVsServerPct: { p50: pct((r) => r.errVsServer.p50), p95: pct((r) => r.errVsServer.p95) },
      medianErrorVsReferenceClientPct: { p50: pct((r) => r.errVsReference.p50), p95: pct((r) => r.errVsReference.p95) },
      medianReferenceErrorVsDistributionPct: { p50: pct((r) => r.referenceErrVsDistribution.p50), p95: pct((r) => r.referenceErrVsDistribution.p95) },
      goal: 'within 5%',
      machine: machine(),
      date: new Date().toISOString(),
    },
    null,
    2,
  ),
);
