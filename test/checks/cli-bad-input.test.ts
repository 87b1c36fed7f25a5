import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, shipgate, tempProject } from '../support/cli.js';
import { Stack, startHttpServer } from '../support/checks-servers.js';

// `check --help` promises "2 bad input". A missing or malformed flag is bad input for every kind:
// exit 2, the flag named as typed — never zod's raw text, a crash, or exit 1 "could not measure"
// (which reads as if the service were down). Runs the BUILT CLI as a child process.

const stack = new Stack();
afterEach(() => stack.dispose());
beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) await execa('npm', ['run', 'build'], { cwd: ROOT });
});

function project(runbook = 'version: 1\nname: t\nphases: []\n'): string {
  const p = tempProject(runbook);
  stack.defer(() => p.cleanup());
  return p.dir;
}

/** Runs every case at once; returns `[exit code, the error line]` per case. */
async function errors(dir: string, cases: readonly (readonly string[])[]): Promise<Array<[number, string]>> {
  const rs = await Promise.all(cases.map((args) => shipgate(['check', ...args], { cwd: dir })));
  return rs.map((r) => [r.exitCode, r.stderr.split('\n').find((l) => l.startsWith('error ')) ?? r.stderr]);
}

describe('shipgate check: bad input is exit 2, named by flag', () => {
  it('a required flag that is missing says "--FLAG is required", with a working example', async () => {
    const dir = project();
    const got = await errors(dir, [['http'], ['routes'], ['https-only'], ['tcp'], ['postgres'], ['browser'], ['monitor'], ['monitor', '--duration', '1s', '--log-file', 'x.log']]);
    expect(got).toEqual([
      [2, 'error SG_CHECK_BAD_INPUT: check http: --url is required'],
      [2, 'error SG_CHECK_BAD_INPUT: check routes: --base-url is required; --route is required'],
      [2, 'error SG_CHECK_BAD_INPUT: check https-only: --host is required'],
      [2, 'error SG_CHECK_BAD_INPUT: check tcp: --port is required'],
      [2, 'error SG_CHECK_BAD_INPUT: check postgres: --url (or --url-env) is required'],
      [2, 'error SG_CHECK_BAD_INPUT: check browser: --url is required'],
      [2, 'error SG_CHECK_BAD_INPUT: check monitor: --duration is required; --http or --log-file is required'],
      [2, 'error SG_CHECK_BAD_INPUT: check monitor: --pattern is required'],
    ]);
    const r = await shipgate(['check', 'http'], { cwd: dir });
    expect(r.stderr).toBe('error SG_CHECK_BAD_INPUT: check http: --url is required\n  → e.g. shipgate check http --url https://example.com/api/health (every flag: shipgate check http --help)');
  });

  it('a malformed URL, host or port is exit 2 naming the flag (no "could not measure", no crash)', async () => {
    const dir = project();
    const got = await errors(dir, [
      ['http', '--url', 'notaurl'],
      ['http', '--url', 'localhost:8080'],
      ['http', '--url', 'ftp://example.com/'],
      ['routes', '--base-url', 'notaurl', '--route', 'GET / -> 200'],
      ['https-only', '--host', 'https://example.com'],
      ['tcp', '--port', 'abc'],
      ['tcp', '--port', '70000'],
      ['tcp', '--host', 'http://x', '--port', '80'],
      ['redis', '--url', 'notaurl'],
      ['browser', '--url', 'notaurl'],
      ['monitor', '--duration', '1s', '--http', 'notaurl'],
      ['http', '--with', '{"url": "nope"}'],
    ]);
    expect(got).toEqual([
      [2, 'error SG_CHECK_BAD_INPUT: check http: --url: expected an absolute http:// or https:// URL, got "notaurl"'],
      [2, 'error SG_CHECK_BAD_INPUT: check http: --url: expected an absolute http:// or https:// URL, got "localhost:8080"'],
      [2, 'error SG_CHECK_BAD_INPUT: check http: --url: expected an absolute http:// or https:// URL, got "ftp://example.com/"'],
      [2, 'error SG_CHECK_BAD_INPUT: check routes: --base-url: expected an absolute http:// or https:// URL, got "notaurl"'],
      [2, 'error SG_CHECK_BAD_INPUT: check https-only: --host: expected a host name or IP address without scheme, port or path, got "https://example.com"'],
      [2, 'error SG_CHECK_BAD_INPUT: check tcp: --port: expected a whole number, got "abc"'],
      [2, 'error SG_CHECK_BAD_INPUT: check tcp: --port: must be at most 65535, got 70000'],
      [2, 'error SG_CHECK_BAD_INPUT: check tcp: --host: expected a host name or IP address without scheme, port or path, got "http://x"'],
      [2, 'error SG_CHECK_BAD_INPUT: check redis: --url (or --url-env): expected a redis:// or rediss:// URL (the value is not shown)'],
      [2, 'error SG_CHECK_BAD_INPUT: check browser: --url: expected an absolute http://, https:// or file:// URL, got "notaurl"'],
      [2, 'error SG_CHECK_BAD_INPUT: check monitor: --http: expected an absolute http:// or https:// URL, got "notaurl"'],
      [2, 'error SG_CHECK_BAD_INPUT: check http: --with url: expected an absolute http:// or https:// URL, got "nope"'],
    ]);
    // A database URL may carry a password: the value is never echoed, from --url or --url-env.
    const pg = await shipgate(['check', 'postgres', '--url-env', 'DB'], { cwd: dir, env: { DB: 'http://app:hunter2-canary@127.0.0.1:5432/app' } });
    expect(pg.exitCode).toBe(2);
    expect(pg.stderr).toContain('error SG_CHECK_BAD_INPUT: check postgres: --url (or --url-env): expected a postgres:// or postgresql:// URL (the value is not shown)');
    expect(pg.stderr).not.toContain('hunter2-canary');
  });

  it('a bad --assert is named as --assert (not expect.assert), before any request is sent', async () => {
    let requests = 0;
    const s = await stack.use(startHttpServer((_q, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"services":{"database":"ok"}}');
    }));
    const dir = project();
    const r = await shipgate(['check', 'http', '--url', s.url, '--assert', 'services.database = ok'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('error SG_CHECK_BAD_ASSERTION: check http --assert: "services.database = ok" is not an assertion: write PATH OP VALUE, e.g. "status == healthy" (operators: == != < <= > >= matches exists)\n  → fix the assertion in `--assert`');
    const viaWith = await shipgate(['check', 'http', '--url', s.url, '--with', '{"expect": {"assert": "a = b"}}'], { cwd: dir });
    expect(viaWith.stderr).toContain('→ fix the assertion in `--with expect.assert`');
    const status = await shipgate(['check', 'http', '--url', s.url, '--status', 'abc'], { cwd: dir });
    expect([status.exitCode, status.stderr.split('\n')[0]]).toEqual([2, 'error SG_CHECK_BAD_STATUS: check http --status: "abc" is not a status list']);
    expect(requests).toBe(0);
    // The fixed assertion runs and passes.
    expect((await shipgate(['check', 'http', '--url', s.url, '--assert', 'services.database == ok'], { cwd: dir })).exitCode).toBe(0);
  });

  it('in a runbook the same inputs are caught by validate, naming the with: key; ${{ }} values wait for the run', async () => {
    const dir = project(`version: 1
name: t
environments: { production: { vars: { BASE: "http://127.0.0.1:1" } } }
phases:
  - id: checks
    steps:
      - { id: a, uses: check/http, with: { url: notaurl } }
      - { id: b, uses: check/http, with: { url: "\${{ vars.BASE }}/health" } }
      - { id: c, uses: check/tcp, with: { ports: [70000] } }
`);
    const r = await shipgate(['validate'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stdout + r.stderr).toContain('check/http: phases[0].steps[0].with.url: expected an absolute http:// or https:// URL, got "notaurl"');
    expect(r.stdout + r.stderr).toContain('check/tcp: phases[0].steps[2].with.ports[0]: must be at most 65535, got 70000');
    expect(r.stdout + r.stderr).toContain('invalid, 2 errors');
  });
});
