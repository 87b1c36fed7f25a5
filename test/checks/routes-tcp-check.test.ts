import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkRoutes, parseRouteLine } from '../../src/checks/routes-check.js';
import { checkTcp } from '../../src/checks/tcp-check.js';
import { freePort, Stack, startHttpServer } from '../support/checks-servers.js';

const stack = new Stack();
afterEach(() => stack.dispose());

describe('check/routes', () => {
  it('runs a route table and reports a row per route', async () => {
    const s = await stack.use(startHttpServer((req, res) => {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, req.headers.origin === 'https://app.example' ? { 'access-control-allow-origin': 'https://app.example' } : {});
      } else if (req.url === '/inventory/items') res.writeHead(401);
      else if (req.url === '/docs') res.writeHead(302, { location: '/login' });
      else res.writeHead(404);
      res.end();
    }));
    const r = await checkRoutes({
      baseUrl: `${s.url}/`,
      routes: [
        'GET /inventory/items -> 401',
        'GET /docs → 404|302|403',
        { method: 'OPTIONS', path: '/inventory/items', status: '2xx', headers: { origin: 'https://app.example' }, expectHeaders: { 'access-control-allow-origin': '^https://app\\.example$' } },
        'GET /health -> 200',
      ],
    });
    expect(r.passed).toBe(false);
    expect(r.items.map((i) => [i.name, i.passed, i.expected, i.measured])).toEqual([
      ['GET /inventory/items', true, '401', '401'],
      ['GET /docs', true, '404|302|403', '302'],
      ['OPTIONS /inventory/items', true, '2xx', '204'],
      ['OPTIONS /inventory/items header access-control-allow-origin', true, '/^https:\\/\\/app\\.example$/', 'https://app.example'],
      ['GET /health', false, '200', '404'],
    ]);
  });

  it('rejects a malformed route line', () => {
    expect(() => parseRouteLine('/docs 404')).toThrow(/METHOD \/path -> STATUS/);
  });
});

describe('check/tcp', () => {
  it('listening port passes "listening" and fails "free"', async () => {
    const server = net.createServer((c) => c.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    stack.defer(() => new Promise((r) => server.close(r)));
    const port = (server.address() as AddressInfo).port;
    expect((await checkTcp({ ports: [port] })).passed).toBe(true);
    const free = await checkTcp({ ports: [port], state: 'free' });
    expect(free.passed).toBe(false);
    expect(free.items[0]).toMatchObject({ expected: 'free', measured: 'listening' });
  });

  it('free port passes "free" and fails "listening"', async () => {
    const port = await freePort();
    expect((await checkTcp({ ports: [port], state: 'free' })).passed).toBe(true);
    const r = await checkTcp({ ports: [port] });
    expect(r.items[0]).toMatchObject({ passed: false, expected: 'listening', measured: 'free' });
  });
});
