import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkHttp } from '../../src/checks/http-check.js';
import { makeTestCerts, type TestCerts } from '../support/checks-certs.js';
import { freePort, Stack, startHttpServer, startHttpsServer } from '../support/checks-servers.js';

const stack = new Stack();
afterEach(() => stack.dispose());

const json = (body: unknown, status = 200) => (_req: unknown, res: import('node:http').ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('check/http', () => {
  it('passes on a healthy server and records status, latency and each assertion', async () => {
    const s = await stack.use(startHttpServer(json({ status: 'healthy', services: { database: 'ok' }, uptime: 42 })));
    const r = await checkHttp({ url: `${s.url}/api/health`, expect: { status: 200, json: { status: 'healthy' }, assert: ['services.database == ok', 'uptime > 10', 'status matches ^heal'] } });
    expect(r.passed).toBe(true);
    expect(r.items.map((i) => [i.name, i.expected, i.measured])).toEqual([
      ['status', '200', '200'],
      ['json status == healthy', 'status == healthy', 'healthy'],
      ['json services.database == ok', 'services.database == ok', 'ok'],
      ['json uptime > 10', 'uptime > 10', '42'],
      ['json status matches ^heal', 'status matches ^heal', 'healthy'],
    ]);
    expect(r.items[0]!.ms).toBeGreaterThanOrEqual(0);
  });

  it('fails a 200 whose body says degraded, naming the failing assertion', async () => {
    const s = await stack.use(startHttpServer(json({ status: 'degraded', services: { database: 'down' } })));
    const r = await checkHttp({ url: s.url, expect: { status: 200, assert: ['status == healthy', 'services.database == ok'] } });
    expect(r.passed).toBe(false);
    expect(r.items[0]).toMatchObject({ name: 'status', passed: true });
    expect(r.items[1]).toMatchObject({ passed: false, expected: 'status == healthy', measured: 'degraded' });
    expect(r.summary).toContain('expected status == healthy, measured degraded');
  });

  it('fails when a path is missing or the body is not JSON', async () => {
    const s = await stack.use(startHttpServer((_q, res) => res.end('<html>ok</html>')));
    const r = await checkHttp({ url: s.url, expect: { assert: ['status exists'] } });
    expect(r.passed).toBe(false);
    expect(r.items[1]!.measured).toContain('body is not JSON');
  });

  it('times out on a server that never answers, with that cause', async () => {
    const s = await stack.use(startHttpServer(() => {}));
    const r = await checkHttp({ url: s.url, timeoutMs: 300 });
    expect(r.passed).toBe(false);
    expect(r.cause).toMatchObject({ reason: 'timeout' });
    expect(r.cause!.message).toMatch(/no response from 127\.0\.0\.1:\d+ within 300ms/);
  });

  it('retry-for polls a flapping server until it passes; one attempt alone fails', async () => {
    let n = 0;
    const s = await stack.use(startHttpServer((_q, res) => (++n % 3 === 0 ? json({ status: 'healthy' })(_q, res) : json({ status: 'starting' }, 503)(_q, res))));
    const once = await checkHttp({ url: s.url, expect: { json: { status: 'healthy' } } });
    expect(once.passed).toBe(false);
    expect(once.items[0]).toMatchObject({ expected: '2xx', measured: '503' });
    const polled = await checkHttp({ url: s.url, expect: { json: { status: 'healthy' } }, retryForMs: 5000, retryIntervalMs: 50 });
    expect(polled.passed).toBe(true);
    expect(polled.attempts).toBeGreaterThanOrEqual(2);
  });

  it('retry-for gives up at the deadline and reports the last attempt', async () => {
    const s = await stack.use(startHttpServer(json({ status: 'starting' }, 503)));
    const r = await checkHttp({ url: s.url, retryForMs: 400, retryIntervalMs: 100 });
    expect(r.passed).toBe(false);
    expect(r.attempts).toBeGreaterThanOrEqual(3);
    expect(r.summary).toMatch(/after \d+ attempts/);
  });

  it('detects a redirect loop', async () => {
    const s = await stack.use(startHttpServer((req, res) => {
      res.writeHead(302, { location: req.url === '/a' ? '/b' : '/a' });
      res.end();
    }));
    const r = await checkHttp({ url: `${s.url}/a` });
    expect(r.passed).toBe(false);
    expect(r.cause).toMatchObject({ reason: 'redirect-loop' });
    expect(r.cause!.message).toBe(`redirect loop: ${s.url}/a → ${s.url}/b → ${s.url}/a`);
  });

  it('stops reading an endless body at the size cap', async () => {
    const s = await stack.use(startHttpServer((_q, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(16 * 1024, 'x');
      const pump = (): void => {
        while (res.write(chunk));
        res.once('drain', pump);
      };
      pump();
    }));
    const r = await checkHttp({ url: s.url, maxBodyBytes: 100_000, timeoutMs: 10_000 });
    expect(r.passed).toBe(false);
    expect(r.cause).toEqual({ reason: 'too-large', message: 'body exceeded 100000 bytes' });
  });

  it('names a refused connection', async () => {
    const r = await checkHttp({ url: `http://127.0.0.1:${await freePort()}/` });
    expect(r.passed).toBe(false);
    expect(r.cause).toMatchObject({ reason: 'refused' });
  });

  it('names a DNS failure', async () => {
    const r = await checkHttp({ url: 'http://shipgate-test.invalid/', timeoutMs: 5000 });
    expect(r.passed).toBe(false);
    expect(r.cause?.reason).toBe('dns');
  });

  it('asserts on body regex and headers', async () => {
    const s = await stack.use(startHttpServer((_q, res) => {
      res.writeHead(200, { 'x-version': '2.4.1' });
      res.end('all good, no degraded parts');
    }));
    const r = await checkHttp({ url: s.url, expect: { body: 'all good', bodyNot: 'degraded', headers: { 'X-Version': '^2\\.' } } });
    expect(r.passed).toBe(false);
    expect(r.items.find((i) => i.name === 'body does not match')).toMatchObject({ passed: false, measured: 'found "degraded"' });
    expect(r.items.find((i) => i.name === 'header x-version')).toMatchObject({ passed: true, measured: '2.4.1' });
  });
});

describe('check/http over TLS', () => {
  let certs: TestCerts;
  beforeAll(async () => {
    certs = await makeTestCerts();
  });
  afterAll(() => certs.dispose());

  it('passes with a certificate from the given CA', async () => {
    const s = await stack.use(startHttpsServer(certs.valid, json({ status: 'healthy' })));
    const r = await checkHttp({ url: s.url, ca: certs.ca, expect: { json: { status: 'healthy' } } });
    expect(r.passed).toBe(true);
  });

  it('fails without the CA: the chain is not trusted', async () => {
    const s = await stack.use(startHttpsServer(certs.valid, json({ status: 'healthy' })));
    const r = await checkHttp({ url: s.url });
    expect(r.cause).toMatchObject({ reason: 'tls' });
  });

  it('fails on an expired certificate, saying so', async () => {
    const s = await stack.use(startHttpsServer(certs.expired, json({ status: 'healthy' })));
    const r = await checkHttp({ url: s.url, ca: certs.ca });
    expect(r.cause).toMatchObject({ reason: 'tls', code: 'CERT_HAS_EXPIRED' });
    expect(r.cause!.message).toContain('certificate has expired');
  });

  it('fails on a certificate for another host', async () => {
    const s = await stack.use(startHttpsServer(certs.wrongHost, json({ status: 'healthy' })));
    const r = await checkHttp({ url: s.url, ca: certs.ca });
    expect(r.cause).toMatchObject({ reason: 'tls', code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });
});
