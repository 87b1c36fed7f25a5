// A stand-in for Selenite's FastAPI backend + React front end, small enough to read in one sitting.
// Node 20 has no built-in SQLite driver, so queries go through the sqlite3 command-line tool
// (`sqlite3 -json`): the point is a real SQLite file, not a fast app.
//
// HTTPS on HTTPS_PORT (certificate from certs/), and on HTTP_PORT a redirector that answers
// 301 to the same host over https (the seed's "HTTPS-only enforcement").
// Environment: HTTPS_PORT, HTTP_PORT, SELENITE_DB, ADMIN_USER, ADMIN_PASSWORD, and
// SELENITE_FAULTY_VERSION: when the deployed version is that one, /api/health answers 200 with
// {"status":"degraded"} (a bad release, as the seed's projects have seen: 200 while degraded).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const env = process.env;
const db = env.SELENITE_DB ?? join(root, 'backend/selenite.db');
const sessions = new Set();

const log = (line) => appendFileSync(join(root, 'logs/selenite.log'), `${new Date().toISOString()} ${line}\n`);
const query = (sql) => JSON.parse(execFileSync('sqlite3', ['-json', db, sql], { encoding: 'utf8' }) || '[]');
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const version = () => { try { return readFileSync(join(root, 'app/DEPLOYED'), 'utf8').trim(); } catch { return 'unknown'; } };

function page(title, body) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1>${body}</body></html>`;
}

function handle(req, res) {
  const url = new URL(req.url, 'https://selenite.local');
  const send = (status, type, body, headers = {}) => {
    res.writeHead(status, { 'content-type': type, 'strict-transport-security': 'max-age=31536000', ...headers });
    res.end(body);
    log(`${req.method} ${url.pathname} ${status}`);
  };
  const loggedIn = (req.headers.cookie ?? '').split(/;\s*/).some((c) => sessions.has(c.replace(/^sid=/, '')));
  try {
    if (url.pathname === '/api/health') {
      query('SELECT 1');
      const status = env.SELENITE_FAULTY_VERSION && env.SELENITE_FAULTY_VERSION === version() ? 'degraded' : 'healthy';
      return send(200, 'application/json', JSON.stringify({ status, version: version(), database: 'ok' }));
    }
    if (url.pathname === '/login' && req.method === 'GET') {
      return send(200, 'text/html', page('Selenite login', '<form method="post" action="/login"><input id="username" name="username"><input id="password" name="password" type="password"><button type="submit">Log in</button></form>'));
    }
    if (url.pathname === '/login' && req.method === 'POST') {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const form = new URLSearchParams(raw);
        if (form.get('username') !== env.ADMIN_USER || form.get('password') !== env.ADMIN_PASSWORD) return send(401, 'text/html', page('Login failed', '<p id="error">Wrong user or password</p>'));
        const sid = randomBytes(16).toString('hex');
        sessions.add(sid);
        send(303, 'text/html', '', { location: '/jobs', 'set-cookie': `sid=${sid}; HttpOnly; Secure; SameSite=Strict` });
      });
      return;
    }
    if (url.pathname === '/jobs') {
      if (!loggedIn) return send(303, 'text/html', '', { location: '/login' });
      const jobs = query('SELECT id, title FROM jobs ORDER BY id');
      const tags = query('SELECT name FROM tags ORDER BY name');
      const form = '<form method="post" action="/jobs/new"><input id="new-job-title" name="title"><button id="create-job" type="submit">New job</button></form><a id="export" href="/export">Export</a>';
      return send(200, 'text/html', page('Jobs', `<ul id="jobs">${jobs.map((j) => `<li>${esc(j.title)}</li>`).join('')}</ul><h2>Tags</h2><ul id="tags">${tags.map((t) => `<li>${esc(t.name)}</li>`).join('')}</ul>${form}`));
    }
    if (url.pathname === '/jobs/new' && req.method === 'POST') {
      if (!loggedIn) return send(303, 'text/html', '', { location: '/login' });
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const title = (new URLSearchParams(raw).get('title') ?? '').trim();
        if (!title) return send(400, 'text/html', page('New job', '<p id="error">A title is required</p>'));
        // Quoted for SQL by doubling single quotes: the sqlite3 CLI takes no bound parameters.
        query(`INSERT INTO jobs (title, media_path) VALUES ('${title.replaceAll("'", "''")}', 'storage/media/pending')`);
        send(303, 'text/html', '', { location: '/jobs' });
      });
      return;
    }
    if (url.pathname === '/export') {
      if (!loggedIn) return send(303, 'text/html', '', { location: '/login' });
      const csv = ['id,title', ...query('SELECT id, title FROM jobs ORDER BY id').map((j) => `${j.id},"${String(j.title).replaceAll('"', '""')}"`)].join('\n');
      return send(200, 'text/html', page('Export', `<pre id="csv">${esc(csv)}</pre>`));
    }
    if (url.pathname === '/') return send(200, 'text/html', page('Selenite', '<a href="/login">Log in</a>'));
    return send(404, 'application/json', JSON.stringify({ detail: 'Not Found' }));
  } catch (e) {
    log(`error ${e.message}`);
    return send(500, 'application/json', JSON.stringify({ status: 'error' }));
  }
}

const tls = { key: readFileSync(join(root, 'certs/server.key')), cert: readFileSync(join(root, 'certs/server.pem')) };
https.createServer(tls, handle).listen(Number(env.HTTPS_PORT), '127.0.0.1');
http
  .createServer((req, res) => {
    res.writeHead(301, { location: `https://127.0.0.1:${env.HTTPS_PORT}${req.url}` });
    res.end();
  })
  .listen(Number(env.HTTP_PORT), '127.0.0.1');
log(`started version ${version()} on https ${env.HTTPS_PORT}, http ${env.HTTP_PORT}`);
