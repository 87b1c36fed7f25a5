import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findAction } from '../../src/actions/registry.js';
import { makeTestCerts } from '../support/checks-certs.js';
import { makeActionContext, runAction, type TestActionContext } from '../support/checks-context.js';
import { CHROMIUM_PATH, probeChromium, requireService, skipWithout } from '../support/checks-services.js';
import { Stack, startHttpServer, startHttpsServer } from '../support/checks-servers.js';

const stack = new Stack();
afterEach(() => stack.dispose());
async function ctx(): Promise<TestActionContext> {
  const c = await makeActionContext();
  stack.defer(() => c.dispose());
  return c;
}
const chromium = await probeChromium();

describe('checks actions', () => {
  it('registers every action of the family', () => {
    for (const n of ['check/http', 'check/routes', 'check/https-only', 'check/tcp', 'check/postgres', 'check/redis', 'check/browser', 'monitor']) expect(findAction(n), n).toBeDefined();
  });

  it('check/http: failing JSON assertion → failed outcome with expected vs measured records', async () => {
    const s = await stack.use(startHttpServer((_q, res) => res.end(JSON.stringify({ status: 'degraded' }))));
    const c = await ctx();
    const o = await runAction('check/http', { url: s.url, expect: { status: 200, json: { status: 'healthy' } }, timeout: '5s' }, c);
    expect(o.status).toBe('failed');
    expect(o.summary).toContain('expected status == healthy, measured degraded');
    expect(o.checks).toContainEqual({ name: 'http json status == healthy', passed: false, expected: 'status == healthy', measured: 'degraded' });
    expect(o.outputs).toMatchObject({ status: '200', passed: 'false' });
    expect(c.logLines.some((l) => l.startsWith('FAIL json status == healthy'))).toBe(true);
  });

  it('check/http: the CA comes from a file relative to the step cwd', async () => {
    const certs = await makeTestCerts();
    stack.defer(() => certs.dispose());
    const s = await stack.use(startHttpsServer(certs.valid, (_q, res) => res.end('{"status":"healthy"}')));
    const c = await ctx();
    await writeFile(join(c.cwd, 'ca.pem'), certs.ca);
    const o = await runAction('check/http', { url: s.url, ca: 'ca.pem', expect: { assert: 'status == healthy' } }, c);
    expect(o.status).toBe('passed');
  });

  it('rejects bad input with the schema (unknown key, bad duration)', () => {
    const def = findAction('check/http')!;
    expect(def.with.safeParse({ url: 'http://x', timeot: '5s' }).success).toBe(false);
    expect(def.with.safeParse({ url: 'http://x', timeout: 'soon' }).success).toBe(false);
    expect(findAction('monitor')!.with.safeParse({ duration: '1m', probes: [{ name: 'a', tcp: { port: 1 }, redis: {} }] }).success).toBe(false);
  });

  it('accepts whole numbers written as strings (what ${{ vars.X }} expands to)', () => {
    expect(findAction('check/tcp')!.with.parse({ ports: ['8100', 5173] })).toEqual({ ports: [8100, 5173] });
    expect(findAction('check/postgres')!.with.parse({ url: 'postgres://x', 'max-connections': '80' })).toEqual({ url: 'postgres://x', 'max-connections': 80 });
    expect(findAction('check/tcp')!.with.safeParse({ ports: ['eighty'] }).success).toBe(false);
  });

  it('monitor: inconclusive outcome with NDJSON, summary and SVG artifacts', async () => {
    let n = 0;
    const s = await stack.use(startHttpServer((req, res) => (++n === 1 ? res.end('ok') : req.socket.destroy())));
    const c = await ctx();
    const o = await runAction('monitor', { duration: '500ms', interval: '100ms', 'consecutive-error-limit': 10, 'decide-role': 'sre', probes: [{ name: 'api', http: { url: s.url } }] }, c);
    expect(o.status).toBe('inconclusive');
    expect(o.decideRole).toBe('sre');
    expect(o.artifacts!.map((a) => [a.name, a.mediaType])).toEqual([
      ['monitor-measurements.ndjson', 'application/x-ndjson'],
      ['monitor-summary.txt', 'text/plain'],
      ['monitor-chart.svg', 'image/svg+xml'],
    ]);
    const lines = (await readFile(o.artifacts![0]!.path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(5);
    expect(lines.map((l) => l.outcome)).toEqual(['success', 'error', 'error', 'error', 'error']);
    expect(await readFile(o.artifacts![1]!.path, 'utf8')).toContain('api measurements');
    expect(await readFile(o.artifacts![2]!.path, 'utf8')).toMatch(/^<svg/);
  });

  it('monitor: a latency limit not below the probe timeout is bad input', async () => {
    const c = await ctx();
    await expect(runAction('monitor', { duration: '1s', probes: [{ name: 'api', http: { url: 'http://127.0.0.1:1/', timeout: '2s' }, thresholds: { p95: '5s' } }] }, c)).rejects.toThrow(/thresholds\.p95 <= 5s is not below the probe timeout \(2000ms\)/);
  });

  it('monitor: a routes probe turns a failing route into a failed reading', async () => {
    let n = 0;
    const s = await stack.use(startHttpServer((req, res) => {
      res.writeHead(req.url === '/docs' && ++n >= 2 ? 200 : 404);
      res.end();
    }));
    const c = await ctx();
    const o = await runAction('monitor', { duration: '500ms', interval: '100ms', probes: [{ name: 'smoke', routes: { 'base-url': s.url, routes: ['GET /docs -> 404'] } }] }, c);
    expect(o.status).toBe('failed');
    expect(o.summary).toContain('stopped early: smoke: 1 failures > failure-limit 0 (last: GET /docs: expected 404, measured 200)');
  });

  it('monitor: log-file probe path is relative to the step cwd', async () => {
    const c = await ctx();
    await writeFile(join(c.cwd, 'access.log'), '');
    const o = await runAction('monitor', { duration: '300ms', interval: '100ms', probes: [{ name: '5xx', 'log-file': { path: 'access.log', pattern: ' 5\\d\\d ' } }] }, c);
    expect(o.status).toBe('passed');
  });

  it('monitor: secret values never reach the artifacts', async () => {
    const c = await makeActionContext({ secrets: { TOKEN: 's3cr3t-value-123' } });
    stack.defer(() => c.dispose());
    const o = await runAction('monitor', { duration: '200ms', interval: '100ms', 'failure-limit': 5, probes: [{ name: 'cmd', command: { run: 'echo s3cr3t-value-123; exit 1' } }] }, c);
    expect(o.status).toBe('failed');
    for (const a of o.artifacts!) {
      const text = await readFile(a.path, 'utf8');
      expect(text).not.toContain('s3cr3t-value-123');
    }
    expect(await readFile(o.artifacts![0]!.path, 'utf8')).toContain('exit 1: ***');
  });

  it.skipIf(skipWithout(chromium))('check/browser: screenshots are stored as PNG artifacts', async () => {
    requireService(chromium);
    const s = await stack.use(startHttpServer((_q, res) => res.end('<h1>Jobs</h1>')));
    const c = await ctx();
    const o = await runAction('check/browser', { url: s.url, chromium: CHROMIUM_PATH, steps: [{ 'expect-text': 'Jobs' }] }, c);
    expect(o.status).toBe('passed');
    expect(o.artifacts).toHaveLength(1);
    const png = await readFile(o.artifacts![0]!.path);
    expect(png.length).toBeGreaterThan(500);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(o.artifacts![0]!.mediaType).toBe('image/png');
  });
});
