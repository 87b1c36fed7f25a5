import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkHttpsOnly } from '../../src/checks/https-only-check.js';
import { makeTestCerts, type TestCerts } from '../support/checks-certs.js';
import { freePort, Stack, startHttpServer, startHttpsServer } from '../support/checks-servers.js';

const stack = new Stack();
afterEach(() => stack.dispose());
let certs: TestCerts;
beforeAll(async () => {
  certs = await makeTestCerts();
});
afterAll(() => certs.dispose());

const YEAR = 'max-age=31536000; includeSubDomains';
const site = (hsts: string | undefined) => (_q: unknown, res: ServerResponse) => {
  res.writeHead(200, hsts ? { 'strict-transport-security': hsts } : {});
  res.end('ok');
};

/** An HTTPS site plus a plain-HTTP listener answering with `status` and `location`. */
async function setup(o: { status?: number; location?: (httpsPort: number) => string; hsts?: string; tls?: { key: string; cert: string } }) {
  const tlsServer = await stack.use(startHttpsServer(o.tls ?? certs.valid, site(o.hsts)));
  const plain = await stack.use(startHttpServer((req, res) => {
    res.writeHead(o.status ?? 308, o.location ? { location: o.location(tlsServer.port) } : {});
    res.end();
  }));
  return { httpsPort: tlsServer.port, httpPort: plain.port };
}

const byName = (r: Awaited<ReturnType<typeof checkHttpsOnly>>, name: string) => r.items.find((i) => i.name === name)!;

describe('check/https-only', () => {
  it('passes: 308 to the same host over https, HSTS a year, trusted cert valid 30 days', async () => {
    const p = await setup({ status: 308, location: (port) => `https://127.0.0.1:${port}/`, hsts: YEAR });
    const r = await checkHttpsOnly({ host: '127.0.0.1', ...p, ca: certs.ca });
    expect(r.items.filter((i) => !i.passed)).toEqual([]);
    expect(r.passed).toBe(true);
    expect(byName(r, 'days until expiry').measured).toMatch(/^(29|30)\.\d/);
  });

  it('accepts a refused plain-HTTP port', async () => {
    const tlsServer = await stack.use(startHttpsServer(certs.valid, site(YEAR)));
    const r = await checkHttpsOnly({ host: '127.0.0.1', httpsPort: tlsServer.port, httpPort: await freePort(), ca: certs.ca });
    expect(byName(r, 'plain HTTP')).toMatchObject({ passed: true, measured: 'connection refused' });
    expect(r.passed).toBe(true);
  });

  it('accepts 426 Upgrade Required', async () => {
    const p = await setup({ status: 426, hsts: YEAR });
    expect((await checkHttpsOnly({ host: '127.0.0.1', ...p, ca: certs.ca })).passed).toBe(true);
  });

  it('fails a 302 (temporary) redirect, saying why', async () => {
    const p = await setup({ status: 302, location: (port) => `https://127.0.0.1:${port}/`, hsts: YEAR });
    const r = await checkHttpsOnly({ host: '127.0.0.1', ...p, ca: certs.ca });
    expect(r.passed).toBe(false);
    expect(byName(r, 'plain HTTP').measured).toContain('a temporary redirect; use 301 or 308');
  });

  it('fails a 301 to another host', async () => {
    const p = await setup({ status: 301, location: () => 'https://elsewhere.example/', hsts: YEAR });
    const r = await checkHttpsOnly({ host: '127.0.0.1', ...p, ca: certs.ca });
    expect(byName(r, 'plain HTTP')).toMatchObject({ passed: false });
    expect(byName(r, 'plain HTTP').measured).toContain('another host than 127.0.0.1');
  });

  it('fails when plain HTTP serves the page', async () => {
    const p = await setup({ status: 200, hsts: YEAR });
    const r = await checkHttpsOnly({ host: '127.0.0.1', ...p, ca: certs.ca });
    expect(byName(r, 'plain HTTP').measured).toBe('200: served over plain HTTP');
  });

  it('fails when HSTS is missing or too short', async () => {
    const missing = await checkHttpsOnly({ host: '127.0.0.1', ...(await setup({ location: (port) => `https://127.0.0.1:${port}/` })), ca: certs.ca });
    expect(byName(missing, 'HSTS')).toMatchObject({ passed: false, measured: 'no Strict-Transport-Security header' });
    const short = await checkHttpsOnly({ host: '127.0.0.1', ...(await setup({ location: (port) => `https://127.0.0.1:${port}/`, hsts: 'max-age=300' })), ca: certs.ca });
    expect(byName(short, 'HSTS')).toMatchObject({ passed: false, expected: 'max-age >= 15552000', measured: 'Strict-Transport-Security: max-age=300' });
  });

  it('fails an expired certificate, with its dates', async () => {
    const p = await setup({ location: (port) => `https://127.0.0.1:${port}/`, hsts: YEAR, tls: certs.expired });
    const r = await checkHttpsOnly({ host: '127.0.0.1', ...p, ca: certs.ca });
    expect(byName(r, 'certificate trusted')).toMatchObject({ passed: false });
    expect(byName(r, 'certificate trusted').measured).toContain('CERT_HAS_EXPIRED');
    expect(byName(r, 'days until expiry').passed).toBe(false);
    expect(r.passed).toBe(false);
  });

  it('fails a certificate for another host', async () => {
    const p = await setup({ location: (port) => `https://127.0.0.1:${port}/`, hsts: YEAR, tls: certs.wrongHost });
    const r = await checkHttpsOnly({ host: '127.0.0.1', ...p, ca: certs.ca });
    expect(byName(r, 'certificate trusted').passed).toBe(true);
    expect(byName(r, 'certificate host')).toMatchObject({ passed: false });
    expect(byName(r, 'certificate host').measured).toContain('wrong.example');
    expect(r.passed).toBe(false);
  });

  it('fails a certificate expiring within the threshold', async () => {
    const p = await setup({ location: (port) => `https://127.0.0.1:${port}/`, hsts: YEAR, tls: certs.expiringSoon });
    const r = await checkHttpsOnly({ host: '127.0.0.1', ...p, ca: certs.ca, minDaysValid: 14 });
    expect(byName(r, 'days until expiry')).toMatchObject({ passed: false, expected: '>= 14' });
  });

  it('fails an untrusted chain when no CA is given', async () => {
    const p = await setup({ location: (port) => `https://127.0.0.1:${port}/`, hsts: YEAR });
    const r = await checkHttpsOnly({ host: '127.0.0.1', ...p });
    expect(byName(r, 'certificate trusted')).toMatchObject({ passed: false });
  });
});
