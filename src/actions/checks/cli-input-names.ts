import type * as z from 'zod';
import { UserError } from '../../core/errors.js';
import type { DataPath } from '../../runbook/yaml-locate.js';
import { formatPath } from '../../runbook/yaml-locate.js';
import { findingsFromZod } from '../../runbook/zod-findings.js';
import type { CheckKind } from './cli-run.js';
import { valueAt } from '../../core/value-at.js';

// `shipgate check KIND` shapes its flags into the action's `with:` and validates that with the
// action's schema, so problems come back named by `with:` path. People typed flags: every
// message names the flag (`--assert`, not `expect.assert`; `--url is required`, not zod's
// "url: Invalid input: expected string, received undefined").

/** `with:` path (list indexes as `*`) → the flag that sets it. Inputs without a flag are `--with` only. */
const FLAGS: Record<CheckKind, Readonly<Record<string, string>>> = {
  http: {
    url: '--url', method: '--method', headers: '--header', body: '--body', timeout: '--timeout', 'retry-for': '--retry-for', 'retry-interval': '--retry-interval',
    'max-body': '--max-body', 'follow-redirects': '--no-follow-redirects', ca: '--ca', 'expect.status': '--status', 'expect.json': '--expect-json',
    'expect.assert': '--assert', 'expect.body': '--body-match', 'expect.body-not': '--body-not', 'expect.headers': '--expect-header', 'expect.max-latency': '--max-latency',
  },
  routes: { 'base-url': '--base-url', routes: '--route', headers: '--header', timeout: '--timeout', concurrency: '--concurrency', ca: '--ca' },
  'https-only': { host: '--host', 'https-port': '--https-port', 'http-port': '--http-port', path: '--path', ca: '--ca', 'hsts-min-age': '--hsts-min-age', 'require-hsts': '--no-require-hsts', 'min-days-valid': '--min-days-valid', timeout: '--timeout' },
  tcp: { host: '--host', ports: '--port', state: '--state', timeout: '--timeout' },
  postgres: { url: '--url (or --url-env)', 'max-connections': '--max-connections', 'min-version': '--min-version', timeout: '--timeout' },
  redis: { url: '--url (or --url-env)', timeout: '--timeout' },
  browser: { url: '--url', steps: '--step', timeout: '--timeout', chromium: '--chromium' },
  monitor: {
    duration: '--duration', interval: '--interval', 'initial-delay': '--initial-delay', 'failure-limit': '--failure-limit', 'consecutive-error-limit': '--consecutive-error-limit',
    'min-measurements': '--min-measurements', probes: '--http or --log-file', 'probes.*.http.url': '--http', 'probes.*.http.timeout': '--timeout', 'probes.*.log-file.path': '--log-file',
    'probes.*.log-file.pattern': '--pattern', 'probes.*.thresholds.p95': '--p95', 'probes.*.thresholds.availability': '--availability',
  },
};

/** A working command line per kind, for "is required" hints. */
const EXAMPLES: Record<CheckKind, string> = {
  http: 'shipgate check http --url https://example.com/api/health',
  routes: 'shipgate check routes --base-url https://api.example.com --route "GET /health -> 200"',
  'https-only': 'shipgate check https-only --host example.com',
  tcp: 'shipgate check tcp --port 8100',
  postgres: 'shipgate check postgres --url-env DATABASE_URL',
  redis: 'shipgate check redis --url redis://127.0.0.1:6379',
  browser: 'shipgate check browser --url http://127.0.0.1:8100/login --step "expect-text Jobs"',
  monitor: 'shipgate check monitor --http https://example.com/api/health --duration 5m',
};

/** What the user gave: the flags (already shaped like `with:`) and the `--with` object. */
export interface CliInputs {
  readonly kind: CheckKind;
  readonly flags: Readonly<Record<string, unknown>>;
  readonly withInput: Readonly<Record<string, unknown>>;
}

/**
 * How the user wrote a `with:` input: its flag (`expect.assert` → `--assert`; `expect.headers.x-a`
 * → `--expect-header x-a`), or, when the value came from `--with` or no flag sets it, `--with`
 * and the path (`--with viewport.width`).
 */
export function cliInputName(c: CliInputs, input: string | DataPath): string {
  const path = typeof input === 'string' ? input.split('.') : input;
  const table = FLAGS[c.kind];
  for (let n = path.length; n > 0; n--) {
    const head = path.slice(0, n);
    const flag = table[head.map((p) => (typeof p === 'number' ? '*' : p)).join('.')];
    if (flag === undefined) continue;
    if (valueAt(c.flags, head) === undefined && valueAt(c.withInput, head) !== undefined) break;
    const rest = path.slice(n).filter((p) => typeof p === 'string');
    return rest.length ? `${flag} ${rest.join('.')}` : flag;
  }
  return `--with ${formatPath(path)}`;
}

/**
 * The flags and `--with` did not fit the action's schema: one message naming every problem by
 * flag, and a working example. A URL that may hold a password (postgres, redis) is not echoed.
 */
export function badCliInput(c: CliInputs, schema: z.ZodType, value: unknown, issues: Parameters<typeof findingsFromZod>[0]): UserError {
  const findings = findingsFromZod(issues, { schema, value, base: [] });
  const problems = findings.map((f) => {
    const name = cliInputName(c, f.path);
    if (f.code === 'missing-key') return `${name} is required`;
    if (f.code === 'unknown-key') return `--with: ${f.message}`;
    const where = formatPath(f.path);
    const said = f.message.startsWith(`${where}: `) ? f.message.slice(where.length + 2) : f.message;
    const secret = c.kind === 'postgres' || c.kind === 'redis' || f.path.includes('postgres') || f.path.includes('redis');
    return `${name}: ${secret ? said.replace(/, got [\s\S]*$/, ' (the value is not shown)') : said}`;
  });
  return new UserError('SG_CHECK_BAD_INPUT', `check ${c.kind}: ${problems.join('; ')}`, `e.g. ${EXAMPLES[c.kind]} (every flag: shipgate check ${c.kind} --help)`);
}

