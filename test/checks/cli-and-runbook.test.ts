import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { shipgate, tempProject } from '../support/cli.js';
import { freePort, Stack, startHttpServer } from '../support/checks-servers.js';
import { execa } from 'execa';
import { ROOT } from '../support/cli.js';

// These run the BUILT CLI (bin/shipgate.js → dist/), as a user would.
const stack = new Stack();
afterEach(() => stack.dispose());
beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) await execa('npm', ['run', 'build'], { cwd: ROOT });
});

function project(runbook = 'version: 1\nname: t\nphases: []\n') {
  const p = tempProject(runbook);
  stack.defer(() => p.cleanup());
  return p.dir;
}

const health = (status: string) => startHttpServer((_q, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status, services: { database: 'ok' } }));
});

describe('shipgate check (CLI)', () => {
  it('http: exit 0 with a table of expected vs measured', async () => {
    const s = await stack.use(health('healthy'));
    const r = await shipgate(['check', 'http', '--url', `${s.url}/api/health`, '--status', '200', '--expect-json', 'status=healthy', '--assert', 'services.database == ok'], { cwd: project() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PASS {2}http GET http:\/\/127\.0\.0\.1:\d+\/api\/health\n/);
    expect(r.stdout).toMatch(/ok +json status == healthy +status == healthy +healthy/);
  });

  it('http: exit 1 on a degraded body, naming the assertion', async () => {
    const s = await stack.use(health('degraded'));
    const r = await shipgate(['check', 'http', '--url', s.url, '--assert', 'status == healthy'], { cwd: project() });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/FAIL +json status == healthy +status == healthy +degraded/);
    expect(r.stdout).toContain('expected status == healthy, measured degraded');
  });

  it('http --json prints the result object', async () => {
    const s = await stack.use(health('healthy'));
    const r = await shipgate(['check', 'http', '--url', s.url, '--json'], { cwd: project() });
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ kind: 'http', passed: true, items: [{ name: 'status', expected: '2xx', measured: '200', passed: true }] });
  });

  it('bad input exits 2 with the next command', async () => {
    const r = await shipgate(['check', 'http', '--url', 'http://127.0.0.1:1/', '--timeout', 'soon'], { cwd: project() });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error SG_CHECK_BAD_INPUT: check http: --timeout: expected a duration like 30s, 15m, 1h30m or 90d, got "soon"');
    expect(r.stderr).toContain('(every flag: shipgate check http --help)');
    const bad = await shipgate(['check', 'http', '--url', 'http://127.0.0.1:1/', '--assert', 'status ~ x'], { cwd: project() });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('SG_CHECK_BAD_ASSERTION');
  });

  it('tcp: a free port fails "listening" and passes "free"', async () => {
    const port = String(await freePort());
    const dir = project();
    expect((await shipgate(['check', 'tcp', '--port', port], { cwd: dir })).exitCode).toBe(1);
    expect((await shipgate(['check', 'tcp', '--port', port, '--state', 'free'], { cwd: dir })).exitCode).toBe(0);
  });

  it('routes: a table from --route flags', async () => {
    const s = await stack.use(startHttpServer((req, res) => {
      res.writeHead(req.url === '/docs' ? 404 : 401);
      res.end();
    }));
    const r = await shipgate(['check', 'routes', '--base-url', s.url, '--route', 'GET /inventory/items -> 401', '--route', 'GET /docs -> 404|302|403'], { cwd: project() });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ok +GET \/docs +404\|302\|403 +404/);
  });

  it('monitor --out writes the measurements, the summary and the chart', async () => {
    const s = await stack.use(health('healthy'));
    const dir = project();
    const r = await shipgate(['check', 'monitor', '--http', s.url, '--duration', '1s', '--interval', '200ms', '--p95', '2s', '--out', 'mon'], { cwd: dir });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PASSED {2}monitor/);
    expect(readFileSync(join(dir, 'mon', 'measurements.ndjson'), 'utf8').trim().split('\n')).toHaveLength(5);
    expect(readFileSync(join(dir, 'mon', 'chart.svg'), 'utf8')).toContain('latency (ms)');
    expect(readFileSync(join(dir, 'mon', 'summary.txt'), 'utf8')).toContain('http p95');
  });
});

describe('checks from a runbook (engine)', () => {
  it('a run passes a healthy check/http step and fails on a degraded one', async () => {
    const ok = await stack.use(health('healthy'));
    const bad = await stack.use(health('degraded'));
    const rb = (url: string) => `version: 1
name: checks
environments:
  prod: {}
phases:
  - id: verify
    steps:
      - id: health
        uses: check/http
        with: { url: "${url}/api/health", expect: { status: 200, json: { status: healthy } }, timeout: 5s }
      - id: port
        uses: check/tcp
        with: { ports: [${new URL(url).port}] }
`;
    const good = await shipgate(['run', '--env', 'prod'], { cwd: project(rb(ok.url)) });
    expect(good.exitCode, good.stdout + good.stderr).toBe(0);
    const failed = await shipgate(['run', '--env', 'prod'], { cwd: project(rb(bad.url)) });
    expect(failed.exitCode).toBe(1);
    expect(failed.stdout).toContain('expected status == healthy, measured degraded');
  });

  it('an inconclusive monitor pauses the run for a person (exit 3) with its artifacts kept', async () => {
    let n = 0;
    const s = await stack.use(startHttpServer((req, res) => (++n === 1 ? res.end('ok') : req.socket.destroy())));
    const dir = project(`version: 1
name: watch
roles:
  sre: { members: [alice@example.com] }
environments:
  prod: {}
phases:
  - id: verify
    steps:
      - id: watch
        uses: monitor
        with:
          duration: 500ms
          interval: 100ms
          consecutive-error-limit: 10
          decide-role: sre
          probes:
            - { name: api, http: { url: "${s.url}" } }
`);
    const r = await shipgate(['run', '--env', 'prod'], { cwd: dir });
    expect(r.exitCode, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toContain('api measurements: expected >= 3 measured, measured 1 of 5');
    // The files are in the artifact store, and the ledger's step-waiting entry references them
    // with the checks people decide on (so `evidence verify` covers them).
    const index = readFileSync(join(dir, '.shipgate', 'artifacts', 'index.ndjson'), 'utf8');
    for (const name of ['watch-measurements.ndjson', 'watch-summary.txt', 'watch-chart.svg']) expect(index).toContain(`"name":"${name}"`);
    const runId = (JSON.parse((await shipgate(['runs', '--json'], { cwd: dir })).stdout) as Array<{ id: string }>)[0]!.id;
    const shown = JSON.parse((await shipgate(['evidence', 'show', runId, '--json'], { cwd: dir })).stdout) as { entries: Array<{ kind: string; data: { artifacts?: Array<{ name: string }>; checks?: Array<{ name: string }> } }> };
    const waiting = shown.entries.find((e) => e.kind === 'step-waiting');
    expect(waiting?.data.artifacts?.map((a) => a.name)).toEqual(expect.arrayContaining(['watch-measurements.ndjson', 'watch-chart.svg']));
    expect(waiting?.data.checks?.length).toBeGreaterThan(0);
  });
});
