import * as z from 'zod';
import { DurationSchema } from '../../runbook/schema.js';
import { browserUrl, hostName, httpUrl, port, postgresUrl, redisUrl } from './target-inputs.js';

// The `with:` inputs of the checks family. Kebab-case like the rest of the runbook; every
// default is stated in the description (it ends up in the JSON Schema and docs/checks.md).

// `${{ vars.PORT }}` expands to a string, so whole numbers are also accepted as digit strings.
const int = (min?: number) => {
  const n = min === undefined ? z.number().int() : z.number().int().min(min);
  return z.union([n, z.string().regex(/^\d+$/, 'a whole number').transform(Number).pipe(n)]);
};

const status = z.union([z.number().int(), z.string(), z.array(z.union([z.number().int(), z.string()]))]);
const stringMap = z.record(z.string(), z.string());
const byteSize = z
  .union([z.number().int().positive(), z.string().regex(/^\d+(\.\d+)?\s*(B|KB|KiB|MB|MiB)?$/i, 'a size like 65536, 512KB or 1MB')])
  .describe('Bytes: a number, or 512KB / 1MB.');

export const HttpExpectWith = z
  .strictObject({
    status: status.optional().describe('Accepted statuses: 200, "2xx", "404|302|403", "200-299" or a list. Default: 2xx.'),
    json: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional().describe('JSON path → value that must be equal, e.g. { status: healthy, "services.database": ok }.'),
    assert: z.union([z.string(), z.array(z.string())]).optional().describe('Assertions PATH OP VALUE over the JSON body; OP is == != < <= > >= matches exists.'),
    body: z.string().optional().describe('Regex the body must match.'),
    'body-not': z.string().optional().describe('Regex the body must not match, e.g. "degraded".'),
    headers: stringMap.optional().describe('Response header → regex its value must match.'),
    'max-latency': DurationSchema.optional().describe('Latency limit of the passing attempt. Default: none.'),
  })
  .describe('What the response must show; everything given must hold.');

export const HttpWith = z.strictObject({
  url: httpUrl.describe('The URL to request.'),
  method: z.string().optional().describe('Default: GET.'),
  headers: stringMap.optional().describe('Request headers.'),
  body: z.string().optional().describe('Request body.'),
  expect: HttpExpectWith.optional(),
  timeout: DurationSchema.optional().describe('Per attempt, redirects included. Default: 10s.'),
  'retry-for': DurationSchema.optional().describe('Poll until the check passes or this much time has passed. Default: 0 (one attempt).'),
  'retry-interval': DurationSchema.optional().describe('Pause between attempts. Default: 1s.'),
  'max-body': byteSize.optional().describe('Stop reading (and fail) beyond this body size. Default: 1MB.'),
  'follow-redirects': z.boolean().optional().describe('Follow redirects (loops are detected). Default: true.'),
  ca: z.string().optional().describe('PEM file of a CA to trust for this check only (relative to the step cwd).'),
});

const RouteWith = z.union([
  z.string().describe('"METHOD /path -> STATUS", e.g. "GET /docs -> 404|302|403".'),
  z.strictObject({
    method: z.string().optional().describe('Default: GET.'),
    path: z.string(),
    status,
    headers: stringMap.optional().describe('Request headers, e.g. { Origin: https://app.example }.'),
    'expect-headers': stringMap.optional().describe('Response header → regex, e.g. { access-control-allow-origin: "^https://app" }.'),
  }),
]);

export const RoutesWith = z.strictObject({
  'base-url': httpUrl.describe('Joined with each route path.'),
  routes: z.array(RouteWith).min(1).describe('The route table.'),
  headers: stringMap.optional().describe('Headers sent with every route.'),
  timeout: DurationSchema.optional().describe('Per route. Default: 10s.'),
  concurrency: int(1).optional().describe('Routes in flight at once. Default: 8.'),
  ca: z.string().optional().describe('PEM file of a CA to trust.'),
});

export const HttpsOnlyWith = z.strictObject({
  host: hostName.describe('Host name the site is served as; the certificate must name it.'),
  'https-port': port.optional().describe('Default: 443.'),
  'http-port': port.optional().describe('Default: 80.'),
  path: z.string().optional().describe('Default: /.'),
  ca: z.string().optional().describe('PEM file of the CA to trust. Default: the system roots.'),
  'hsts-min-age': DurationSchema.optional().describe('Minimum HSTS max-age. Default: 180d.'),
  'require-hsts': z.boolean().optional().describe('Default: true.'),
  'min-days-valid': z.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?$/).transform(Number)]).optional().describe('The certificate must stay valid this many more days. Default: 14.'),
  timeout: DurationSchema.optional().describe('Per connection. Default: 10s.'),
});

export const TcpWith = z.strictObject({
  host: hostName.optional().describe('Default: 127.0.0.1.'),
  // A single port is turned into a list first, so a bad element is reported at its own index
  // (and none at all stays missing: "ports is required", not "ports[0] is wrong").
  ports: z.preprocess((v) => (v === undefined || Array.isArray(v) ? v : [v]), z.array(port).min(1)).describe('Port or ports.'),
  state: z.enum(['listening', 'free']).optional().describe('Default: listening.'),
  timeout: DurationSchema.optional().describe('Per port. Default: 3s.'),
});

export const PostgresWith = z.strictObject({
  url: postgresUrl.describe('postgres://… (use ${{ secrets.NAME }}; the password is never shown).'),
  'max-connections': int(0).optional().describe('Fail above this many rows in pg_stat_activity. Default: no limit.'),
  'min-version': int().optional().describe('Minimum server major version. Default: none.'),
  timeout: DurationSchema.optional().describe('Connect and each query. Default: 5s.'),
});

export const RedisWith = z.strictObject({
  url: redisUrl.optional().describe('redis://… Default: redis://127.0.0.1:6379.'),
  timeout: DurationSchema.optional().describe('Default: 5s.'),
});

const BrowserStepWith = z.union([
  z.strictObject({ goto: z.string() }),
  z.strictObject({ fill: z.string().describe('CSS selector'), value: z.string() }),
  z.strictObject({ click: z.string() }),
  z.strictObject({ 'expect-text': z.string() }),
  z.strictObject({ 'expect-selector': z.string() }),
  z.strictObject({ screenshot: z.string() }),
]);

export const BrowserWith = z.strictObject({
  url: browserUrl.describe('The first page.'),
  steps: z.array(BrowserStepWith).default([]).describe('goto / fill+value / click / expect-text / expect-selector / screenshot, in order.'),
  timeout: DurationSchema.optional().describe('Per step. Default: 10s.'),
  chromium: z.string().optional().describe('Chromium executable. Default: /usr/bin/chromium.'),
  viewport: z.strictObject({ width: z.number().int(), height: z.number().int() }).optional().describe('Default: 1280×800.'),
});

const conditionText = z.union([z.string(), z.number()]);
const ThresholdsWith = z.strictObject({
  availability: conditionText.optional().describe('e.g. "99.5%" (means >=).'),
  p50: conditionText.optional().describe('e.g. "200ms" (means <=).'),
  p95: conditionText.optional(),
  p99: conditionText.optional(),
  'max-errors': int(0).optional().describe('Measurements that could not be taken.'),
  metric: conditionText.optional().describe('Every reading of the probe metric, e.g. "< 80" (bare value means <=).'),
});
const InconclusiveWith = z.strictObject({
  availability: conditionText.optional().describe('e.g. "< 99.9%": below → a person decides.'),
  p50: conditionText.optional().describe('e.g. "> 400ms" (bare value means >).'),
  p95: conditionText.optional(),
  p99: conditionText.optional(),
  metric: conditionText.optional().describe('A reading meeting this is inconclusive.'),
});

const PROBE_KINDS = ['http', 'tcp', 'postgres', 'redis', 'command', 'log-file', 'routes', 'https-only'] as const;

export const ProbeWith = z
  .strictObject({
    name: z.string().describe('Probe name, shown in tables and the chart.'),
    http: HttpWith.pick({ url: true, method: true, headers: true, body: true, expect: true, timeout: true, ca: true, 'max-body': true }).extend({ metric: z.string().optional().describe('JSON path of a number to record.') }).optional(),
    tcp: z.strictObject({ host: hostName.optional(), port }).optional(),
    postgres: z.strictObject({ url: postgresUrl }).optional().describe('Records connections in pg_stat_activity as the metric.'),
    redis: z.strictObject({ url: redisUrl.optional() }).optional(),
    command: z.strictObject({ run: z.string(), json: z.string().optional(), regex: z.string().optional() }).optional().describe('Shell command; the metric is read from stdout (JSON path or regex).'),
    'log-file': z.strictObject({ path: z.string(), pattern: z.string(), 'max-matches': int(0).optional() }).optional().describe('New lines matching the pattern, e.g. " 5\\d\\d ".'),
    routes: RoutesWith.optional().describe('check/routes as a probe: a failing route is a failed reading.'),
    'https-only': HttpsOnlyWith.optional().describe('check/https-only as a probe.'),
    timeout: DurationSchema.optional().describe('Per measurement. Default: 10s.'),
    thresholds: ThresholdsWith.optional(),
    inconclusive: InconclusiveWith.optional(),
  })
  .refine((p) => PROBE_KINDS.filter((k) => k in p && p[k as keyof typeof p] !== undefined).length === 1, {
    message: `a probe has exactly one of ${PROBE_KINDS.join(', ')}`,
  });

export const MonitorWith = z.strictObject({
  duration: DurationSchema.describe('Length of the watch window, e.g. 15m.'),
  interval: DurationSchema.optional().describe('Time between measurements. Default: 10s.'),
  'initial-delay': DurationSchema.optional().describe('Wait before the first measurement. Default: 0.'),
  'failure-limit': int(0).optional().describe('Stop and fail when failures of a probe exceed this. Default: 0.'),
  'consecutive-error-limit': int(0).optional().describe('Stop and fail when a probe errors more than this many times in a row. Default: 4.'),
  'inconclusive-limit': int(0).optional().describe('More inconclusive readings than this → inconclusive. Default: 0.'),
  'min-measurements': int(0).optional().describe('Fewer measured readings per probe → inconclusive. Default: min(3, ticks).'),
  'decide-role': z.string().optional().describe('Role asked to decide when inconclusive. Default: the first role with members.'),
  probes: z.array(ProbeWith).min(1).describe('What to measure at each tick.'),
});

export type HttpWithT = z.output<typeof HttpWith>;
export type RoutesWithT = z.output<typeof RoutesWith>;
export type HttpsOnlyWithT = z.output<typeof HttpsOnlyWith>;
export type TcpWithT = z.output<typeof TcpWith>;
export type PostgresWithT = z.output<typeof PostgresWith>;
export type RedisWithT = z.output<typeof RedisWith>;
export type BrowserWithT = z.output<typeof BrowserWith>;
export type MonitorWithT = z.output<typeof MonitorWith>;
export type ProbeWithT = z.output<typeof ProbeWith>;
