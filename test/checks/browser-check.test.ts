import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkBrowser } from '../../src/checks/browser-check.js';
import { CHROMIUM_PATH, probeChromium, requireService, skipWithout } from '../support/checks-services.js';
import { Stack, startHttpServer } from '../support/checks-servers.js';

const stack = new Stack();
afterEach(() => stack.dispose());
const chromium = await probeChromium();

const LOGIN = `<!doctype html><html><body><h1>Selenite</h1>
<form method="post" action="/login"><input id="user" name="user"><input id="password" name="password" type="password"><button id="go">Log in</button></form></body></html>`;

/** A tiny login app: admin/correct-horse shows the jobs list, anything else an error. */
async function loginApp() {
  return startHttpServer((req, res) => {
    if (req.method === 'POST' && req.url === '/login') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const f = new URLSearchParams(body);
        const ok = f.get('user') === 'admin' && f.get('password') === 'correct-horse';
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(ok ? '<h1>Jobs</h1><ul id="jobs"><li>nightly-import</li><li>tag: prod</li></ul>' : '<p class="err">Invalid credentials</p>');
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(LOGIN);
  });
}

async function assertPng(content: Uint8Array, dir: string, name: string): Promise<void> {
  // Written to disk and read back, as the artifact store does, then checked as a real PNG.
  const path = join(dir, name);
  await writeFile(path, content);
  const bytes = await readFile(path);
  expect(bytes.length).toBeGreaterThan(1000);
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
}

describe.skipIf(skipWithout(chromium))('check/browser (real Chromium)', () => {
  beforeAll(() => requireService(chromium));

  it('logs in, sees the jobs, and keeps a PNG per checkpoint', async () => {
    const app = await stack.use(loginApp());
    const dir = await mkdtemp(join(tmpdir(), 'sg-browser-'));
    stack.defer(() => rm(dir, { recursive: true, force: true }));
    const r = await checkBrowser({
      url: app.url,
      executablePath: CHROMIUM_PATH,
      steps: [{ expectText: 'Selenite' }, { fill: '#user', value: 'admin' }, { fill: '#password', value: 'correct-horse' }, { click: '#go' }, { expectText: 'nightly-import' }, { expectSelector: '#jobs li' }],
    });
    expect(r.items.filter((i) => !i.passed)).toEqual([]);
    expect(r.passed).toBe(true);
    expect(r.files!.length).toBe(3);
    for (const f of r.files!) await assertPng(f.content, dir, f.name);
    expect(JSON.stringify(r.items)).not.toContain('correct-horse');
  });

  it('fails when the expected text is absent, with a screenshot of what was shown', async () => {
    const app = await stack.use(loginApp());
    const dir = await mkdtemp(join(tmpdir(), 'sg-browser-'));
    stack.defer(() => rm(dir, { recursive: true, force: true }));
    const r = await checkBrowser({
      url: app.url,
      executablePath: CHROMIUM_PATH,
      timeoutMs: 3000,
      steps: [{ fill: '#user', value: 'admin' }, { fill: '#password', value: 'wrong' }, { click: '#go' }, { expectText: 'nightly-import' }],
    });
    expect(r.passed).toBe(false);
    const failed = r.items.find((i) => !i.passed)!;
    expect(failed.name).toBe('expect text "nightly-import"');
    expect(failed.measured).toContain('Invalid credentials');
    expect(r.files!.at(-1)!.name).toMatch(/failed-expect-text/);
    await assertPng(r.files!.at(-1)!.content, dir, 'failed.png');
  });
});
