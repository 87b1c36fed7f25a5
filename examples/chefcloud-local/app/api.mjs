// A stand-in for ChefCloud's NestJS API + Next.js pages, small enough to read in one sitting.
// Node 20 has no built-in Postgres client and this example installs nothing, so queries go
// through `psql` and Redis is spoken to in RESP over a socket: the point is a real Postgres and a
// real Redis, not a fast app.
//
// Environment: PORT, DATABASE_URL, REDIS_URL, JWT_SECRET (required, ≥ 32 characters: the API
// refuses to start without it, as ChefCloud's does in production), and CHEFCLOUD_FAULTY_VERSION:
// when the deployed version is that one, /inventory answers 500 (a core feature broken).
// Feature flags DEVPORTAL_ENABLED, DOCS_ENABLED, METRICS_ENABLED (default 1; run/flags.env, written
// by scripts/set-flags.sh, the stand-in for `fly secrets set`) switch /devportal, /docs, /metrics.
import { execFile } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(import.meta.dirname, '..');
const env = process.env;
if ((env.JWT_SECRET ?? '').length < 32) {
  console.error('JWT_SECRET must be set and at least 32 characters');
  process.exit(1);
}
const version = () => { try { return readFileSync(join(root, 'app/DEPLOYED'), 'utf8').trim(); } catch { return 'unknown'; } };
const deployed = version();
const flags = (() => { try { return Object.fromEntries(readFileSync(join(root, 'run/flags.env'), 'utf8').split('\n').filter(Boolean).map((l) => l.split('='))); } catch { return {}; } })();
const enabled = (name) => (flags[name] ?? '1') !== '0';

const run = promisify(execFile);
async function query(sql) {
  const { stdout } = await run('psql', [env.DATABASE_URL, '-qAt', '-v', 'ON_ERROR_STOP=1', '-c', sql]);
  return stdout.trim();
}

function redisPing() {
  const url = new URL(env.REDIS_URL);
  return new Promise((resolve) => {
    const s = net.connect(Number(url.port || 6379), url.hostname);
    const done = (ok) => { s.destroy(); resolve(ok); };
    s.setTimeout(2000, () => done(false));
    s.on('error', () => done(false));
    s.on('data', (d) => done(String(d).startsWith('+PONG')));
    s.on('connect', () => s.write('PING\r\n'));
  });
}

const page = (title, body) => `<!doctype html><html><head><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
const loggedIn = (req) => /(?:^|;\s*)session=ok/.test(req.headers.cookie ?? '');

async function route(req) {
  const path = new URL(req.url, 'http://chefcloud.local').pathname;
  switch (path) {
    case '/api/health': {
      const [db, redis] = await Promise.all([query('SELECT 1').then(() => 'ok', () => 'down'), redisPing().then((ok) => (ok ? 'ok' : 'down'))]);
      const status = db === 'ok' && redis === 'ok' ? 'ok' : 'degraded';
      return [status === 'ok' ? 200 : 503, 'application/json', JSON.stringify({ status, version: deployed, services: { database: db, redis } })];
    }
    case '/': return [200, 'text/html', page('ChefCloud', '<a href="/login">Log in</a>')];
    case '/login': return [200, 'text/html', page('Log in', '<form method="post"><input id="email"><input id="password" type="password"><button>Log in</button></form>')];
    case '/dashboard':
    case '/orders': {
      if (!loggedIn(req)) return [302, 'text/html', '', { location: '/login' }];
      const n = await query('SELECT count(*) FROM "Order"');
      return [200, 'text/html', page(path.slice(1), `<p id="count">${n}</p>`)];
    }
    case '/inventory': {
      if (env.CHEFCLOUD_FAULTY_VERSION && env.CHEFCLOUD_FAULTY_VERSION === deployed) throw new Error('inventory query failed');
      if (!loggedIn(req)) return [302, 'text/html', '', { location: '/login' }];
      return [200, 'text/html', page('Inventory', `<p>${await query('SELECT count(*) FROM "InventoryItem"')}</p>`)];
    }
    case '/devportal':
    case '/docs':
    case '/metrics': {
      const flag = `${path.slice(1).toUpperCase()}_ENABLED`;
      return enabled(flag) ? [200, 'text/html', page(path.slice(1), `<p>${flag}=1</p>`)] : [404, 'application/json', JSON.stringify({ message: `${flag}=0`, statusCode: 404 })];
    }
    case '/api/orders': return [200, 'application/json', JSON.stringify({ count: Number(await query('SELECT count(*) FROM "Order"')) })];
    default: return [404, 'application/json', JSON.stringify({ message: 'Not Found', statusCode: 404 })];
  }
}

http
  .createServer(async (req, res) => {
    const started = performance.now();
    let status = 500;
    try {
      const [s, type, body, headers = {}] = await route(req);
      status = s;
      res.writeHead(s, { 'content-type': type, ...headers });
      res.end(body);
    } catch (e) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ statusCode: 500, message: 'Internal server error' }));
      console.error(e.message);
    }
    // Access log, one line per request: the monitor counts 5xx lines in it.
    appendFileSync(join(root, 'logs/access.log'), `${new Date().toISOString()} ${req.method} ${req.url} ${status} ${Math.round(performance.now() - started)}ms\n`);
  })
  .listen(Number(env.PORT), '127.0.0.1', () => console.log(`ChefCloud API ${deployed} listening on ${env.PORT}`));
