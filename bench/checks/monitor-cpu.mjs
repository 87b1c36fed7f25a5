// monitor probing at 20 requests/s for 60 s: CPU time of this process as % of one core.
// Reference, same run: a bare loop doing the same 20 req/s with node:http (no shipgate), so the
// ratio shows what shipgate's bookkeeping adds over the cost of the requests themselves.
// Usage: node bench/checks/monitor-cpu.mjs [seconds=60] [runs=3]   (after npm run build)
import http from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, machine, median, startServer } from './support.mjs';

let seconds = Number(process.argv[2] ?? 60);
const runs = Number(process.argv[3] ?? 3);
const { runMonitor, httpProbe } = await import(pathToFileURL(join(DIST, 'checks', 'index.js')).href);

async function cpuOf(fn) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const extra = await fn();
  const cpu = process.cpuUsage(c0);
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  return { pct: ((cpu.user + cpu.system) / 1000 / wall) * 100, wallMs: wall, ...extra };
}

async function shipgateRun(port) {
  return cpuOf(async () => {
    const r = await runMonitor({
      durationMs: seconds * 1000,
      intervalMs: 50,
      probes: [{ name: 'api', description: 'http', probe: httpProbe({ url: `http://127.0.0.1:${port}/health`, expect: { status: 200, json: { status: 'healthy' } } }, 1000), thresholds: {} }],
    });
    return { requests: r.measurements.length, errors: r.stats[0].errors };
  });
}

async function referenceRun(port) {
  return cpuOf(async () => {
    let n = 0;
    const t0 = performance.now();
    for (let k = 0; k < seconds * 20; k++) {
      await new Promise((resolve) => http.get({ host: '127.0.0.1', port, path: '/health', agent: false }, (res) => (res.resume(), res.on('end', resolve))).on('error', resolve));
      n++;
      const wait = t0 + (k + 1) * 50 - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    return { requests: n, errors: 0 };
  });
}

const server = await startServer(['fixed']);
// Warm both code paths up first (JIT, module state), then alternate which one goes first: a
// first attempt had shipgate always first and cold, which alone made a ~1 point difference.
const warm = seconds;
seconds = Math.min(5, warm);
await shipgateRun(server.port);
await referenceRun(server.port);
seconds = warm;
const ship = [];
const ref = [];
for (let i = 0; i < runs; i++) {
  if (i % 2 === 0) {
    ship.push(await shipgateRun(server.port));
    ref.push(await referenceRun(server.port));
  } else {
    ref.push(await referenceRun(server.port));
    ship.push(await shipgateRun(server.port));
  }
  console.error(`run ${i + 1}: shipgate ${ship[i].pct.toFixed(2)}% (${ship[i].requests} req), reference ${ref[i].pct.toFixed(2)}% (${ref[i].requests} req)`);
}
await server.stop();
const s = median(ship.map((r) => r.pct));
const f = median(ref.map((r) => r.pct));
console.log(JSON.stringify({ bench: 'monitor-cpu', seconds, runs, rate: '20 req/s', shipgatePctOfCore: +s.toFixed(2), referencePctOfCore: +f.toFixed(2), ratio: +(s / f).toFixed(2), goal: '<= 3%', pass: s <= 3, machine: machine(), date: new Date().toISOString() }, null, 2));
