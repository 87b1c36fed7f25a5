import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import type { RegisterCommand } from '../command.js';
import type { CliIO } from '../io.js';
import type { CheckCliOptions, CheckKind } from '../../actions/checks/cli-run.js';

// `shipgate check KIND …`: each flag mirrors a `with:` input of the action of the same name
// (docs/checks.md). Flags are shaped into a `with:` object here; validation, the library call
// and the output happen in the lazily loaded runner.

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
// Not a whole number: passed on as typed, so the schema's message can quote it (NaN would read "got null").
const int = (v: string): number | string => (/^-?\d+$/.test(v.trim()) ? Number(v) : v);
const pairs = (list: string[] | undefined, sep: RegExp): Record<string, string> | undefined => {
  if (!list?.length) return undefined;
  const out: Record<string, string> = {};
  for (const p of list) {
    const m = sep.exec(p);
    out[m ? p.slice(0, m.index).trim() : p] = m ? p.slice(m.index + m[0].length).trim() : '';
  }
  return out;
};

function common(cmd: Command): Command {
  return cmd
    .option('--json', 'print the result as JSON (expected, measured and passed per item)')
    .option('--with <json|@file>', 'the action\'s with: inputs as inline JSON/YAML or @FILE.yml; flags override its keys')
    .option('--timeout <duration>', 'time limit per attempt/connection, e.g. 10s');
}

type Opts = CheckCliOptions & Record<string, unknown>;

export const register: RegisterCommand = (program, io, done) => {
  const check = program
    .command('check')
    .description('Run one built-in check outside a run: exit 0 passed, 1 failed (or inconclusive), 2 bad input.');
  const run = (kind: CheckKind, shape: (o: Opts) => Record<string, unknown>) => async (o: Opts) => {
    const { runCheckCli } = await import('../../actions/checks/cli-run.js');
    done(await runCheckCli(io as CliIO, kind, shape(o), o));
  };

  common(check.command('http').description('Request a URL and judge status, JSON-path assertions, body and headers.'))
    .option('--url <url>', 'URL to request')
    .option('--method <method>', 'HTTP method (default GET)')
    .option('--header <name: value>', 'request header (repeatable)', collect)
    .option('--body <text>', 'request body')
    .option('--status <list>', 'accepted statuses: 200, 2xx, "404|302" (default 2xx)')
    .option('--expect-json <path=value>', 'JSON path that must equal a value, e.g. status=healthy (repeatable)', collect)
    .option('--assert <assertion>', 'assertion PATH OP VALUE, e.g. "services.database == ok" (repeatable)', collect)
    .option('--body-match <regex>', 'regex the body must match')
    .option('--body-not <regex>', 'regex the body must not match')
    .option('--expect-header <name: regex>', 'response header that must match a regex (repeatable)', collect)
    .option('--max-latency <duration>', 'latency limit, e.g. 500ms')
    .option('--retry-for <duration>', 'poll until it passes or this much time has passed, e.g. 60s')
    .option('--retry-interval <duration>', 'pause between attempts (default 1s)')
    .option('--max-body <size>', 'stop reading beyond this body size, e.g. 1MB (default)')
    .option('--no-follow-redirects', 'do not follow redirects')
    .option('--ca <file>', 'PEM file of a CA to trust for this check')
    .action(
      run('http', (o) => ({
        url: o.url,
        method: o.method,
        headers: pairs(o.header as string[], /:/),
        body: o.body,
        timeout: o.timeout,
        'retry-for': o.retryFor,
        'retry-interval': o.retryInterval,
        'max-body': o.maxBody,
        'follow-redirects': o.followRedirects === false ? false : undefined,
        ca: o.ca,
        expect: clean({
          status: o.status,
          json: pairs(o.expectJson as string[], /=/),
          assert: o.assert,
          body: o.bodyMatch,
          'body-not': o.bodyNot,
          headers: pairs(o.expectHeader as string[], /:/),
          'max-latency': o.maxLatency,
        }),
      })),
    );

  common(check.command('routes').description('Request a table of routes concurrently and judge each status.'))
    .option('--base-url <url>', 'joined with each route path')
    .option('--route <"METHOD /path -> STATUS">', 'a route, e.g. "GET /docs -> 404|302|403" (repeatable)', collect)
    .option('--header <name: value>', 'header sent with every route (repeatable)', collect)
    .option('--concurrency <n>', 'routes in flight at once (default 8)', int)
    .option('--ca <file>', 'PEM file of a CA to trust')
    .action(run('routes', (o) => ({ 'base-url': o.baseUrl, routes: o.route, headers: pairs(o.header as string[], /:/), timeout: o.timeout, concurrency: o.concurrency, ca: o.ca })));

  common(check.command('https-only').description('Plain HTTP refused/426/301|308 to https on the same host; HSTS; certificate trusted, for the host, not expiring soon.'))
    .option('--host <host>', 'host name the site is served as')
    .option('--https-port <port>', 'default 443', int)
    .option('--http-port <port>', 'default 80', int)
    .option('--path <path>', 'default /')
    .option('--ca <file>', 'PEM file of the CA to trust (default: system roots)')
    .option('--hsts-min-age <duration>', 'minimum HSTS max-age (default 180d)')
    .option('--no-require-hsts', 'do not require HSTS')
    .option('--min-days-valid <days>', 'certificate must stay valid this many more days (default 14)', int)
    .action(run('https-only', (o) => ({ host: o.host, 'https-port': o.httpsPort, 'http-port': o.httpPort, path: o.path, ca: o.ca, 'hsts-min-age': o.hstsMinAge, 'require-hsts': o.requireHsts === false ? false : undefined, 'min-days-valid': o.minDaysValid, timeout: o.timeout })));

  common(check.command('tcp').description('Ports listening, or free (after a stop script that claims success).'))
    .option('--host <host>', 'default 127.0.0.1')
    .option('--port <port>', 'port to check (repeatable)', (v: string, prev: Array<number | string> = []) => [...prev, int(v)])
    .option('--state <state>', 'listening (default) or free')
    .action(run('tcp', (o) => ({ host: o.host, ports: o.port, state: o.state, timeout: o.timeout })));

  common(check.command('postgres').description('Connect, select 1, server version, connections against a maximum.'))
    .option('--url <url>', 'postgres://… (prefer --url-env: argv is visible to other users)')
    .option('--url-env <name>', 'read the URL from this environment variable')
    .option('--max-connections <n>', 'fail above this many rows in pg_stat_activity', int)
    .option('--min-version <major>', 'minimum server major version', int)
    .action(run('postgres', (o) => ({ url: urlFrom(io, o), 'max-connections': o.maxConnections, 'min-version': o.minVersion, timeout: o.timeout })));

  common(check.command('redis').description('PING answers PONG.'))
    .option('--url <url>', 'redis://… (default redis://127.0.0.1:6379)')
    .option('--url-env <name>', 'read the URL from this environment variable')
    .action(run('redis', (o) => ({ url: urlFrom(io, o), timeout: o.timeout })));

  common(check.command('browser').description('A scripted visit in headless Chromium; a screenshot of each checkpoint is saved.'))
    .option('--url <url>', 'the first page')
    .option('--step <step>', 'goto URL | fill SELECTOR=VALUE | click SELECTOR | expect-text TEXT | expect-selector SELECTOR | screenshot NAME (repeatable, in order)', collect)
    .option('--chromium <path>', 'Chromium executable (default /usr/bin/chromium)')
    .option('--out <dir>', 'where screenshots are saved (default ./shipgate-check-files)')
    .action(run('browser', (o) => ({ url: o.url, steps: (o.step as string[] | undefined)?.map(parseStep), timeout: o.timeout, chromium: o.chromium })));

  common(check.command('monitor').description('Watch probes for a window with thresholds and Argo-style limits; writes every measurement, a summary and an SVG chart with --out.'))
    .option('--duration <duration>', 'length of the window, e.g. 15m')
    .option('--interval <duration>', 'time between measurements (default 10s)')
    .option('--initial-delay <duration>', 'wait before the first measurement')
    .option('--failure-limit <n>', 'stop and fail when failures exceed this (default 0)', int)
    .option('--consecutive-error-limit <n>', 'stop and fail after more consecutive errors than this (default 4)', int)
    .option('--min-measurements <n>', 'fewer measured readings → inconclusive (default min(3, ticks))', int)
    .option('--http <url>', 'add an http probe named "http" (expects 2xx)')
    .option('--log-file <path>', 'add a log-file probe named "log" (needs --pattern)')
    .option('--pattern <regex>', 'pattern of bad log lines, e.g. " 5\\d\\d "')
    .option('--p95 <duration>', 'p95 latency limit of the http probe, e.g. 500ms')
    .option('--availability <percent>', 'minimum availability of the http probe, e.g. 99.5%')
    .option('--out <dir>', 'write measurements.ndjson, summary.txt and chart.svg here')
    .action(
      run('monitor', (o) => {
        const probes: Record<string, unknown>[] = [];
        if (o.http) probes.push({ name: 'http', http: { url: o.http, ...(o.timeout !== undefined && { timeout: o.timeout }) }, thresholds: clean({ p95: o.p95, availability: o.availability }) });
        if (o.logFile) probes.push({ name: 'log', 'log-file': { path: o.logFile, pattern: o.pattern } });
        return { duration: o.duration, interval: o.interval, 'initial-delay': o.initialDelay, 'failure-limit': o.failureLimit, 'consecutive-error-limit': o.consecutiveErrorLimit, 'min-measurements': o.minMeasurements, probes: probes.length ? probes : undefined };
      }),
    );
};

function urlFrom(io: CliIO, o: Opts): string | undefined {
  if (typeof o.urlEnv === 'string') {
    const v = io.env[o.urlEnv];
    if (!v) throw new UserError('SG_CHECK_BAD_INPUT', `--url-env ${o.urlEnv}: the environment variable is not set`, `export ${o.urlEnv}=... or pass --url`);
    return v;
  }
  return o.url as string | undefined;
}

function parseStep(s: string): Record<string, string> {
  const m = /^\s*(goto|fill|click|expect-text|expect-selector|screenshot)\s+(.*)$/.exec(s);
  if (!m) return { invalid: s };
  if (m[1] === 'fill') {
    const eq = m[2]!.indexOf('=');
    return eq < 0 ? { invalid: s } : { fill: m[2]!.slice(0, eq).trim(), value: m[2]!.slice(eq + 1) };
  }
  return { [m[1]!]: m[2]! };
}

function clean(o: Record<string, unknown>): Record<string, unknown> | undefined {
  const e = Object.entries(o).filter(([, v]) => v !== undefined);
  return e.length ? Object.fromEntries(e) : undefined;
}
