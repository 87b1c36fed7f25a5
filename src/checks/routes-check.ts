import { performance } from 'node:perf_hooks';
import { UserError } from '../core/errors.js';
import { sendHttpRequest } from './http-request.js';
import { redactUrl } from './http-check.js';
import { finishResult, item, type CheckEnv, type CheckItem, type CheckResult } from './result.js';
import { parseStatusMatcher, type StatusSpec } from './status-matcher.js';

/** One row of a route table: `GET /inventory/items → 401`. */
export interface RouteSpec {
  /** Default: GET. */
  readonly method?: string;
  /** Path (joined to `baseUrl`) or an absolute URL. */
  readonly path: string;
  /** Accepted statuses, e.g. `401` or `"404|302|403"`. */
  readonly status: StatusSpec;
  readonly headers?: Readonly<Record<string, string>>;
  /** Response header name → regular expression, e.g. `access-control-allow-origin: "^https://app"`. */
  readonly expectHeaders?: Readonly<Record<string, string>>;
}

export interface RoutesCheckOptions {
  readonly baseUrl: string;
  readonly routes: readonly (RouteSpec | string)[];
  /** Headers sent with every route. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per route. Default: 10 000 ms. */
  readonly timeoutMs?: number;
  /** Routes in flight at once. Default: 8. */
  readonly concurrency?: number;
  readonly ca?: string;
}

const ROW = /^\s*([A-Z]+)\s+(\S+)\s*(?:->|→)\s*(\S+)\s*$/;

/** Parses `GET /docs -> 404|302|403` (also with `→`). */
export function parseRouteLine(line: string): RouteSpec {
  const m = ROW.exec(line);
  if (!m) throw new UserError('SG_CHECK_BAD_ROUTE', `route "${line}" is not "METHOD /path -> STATUS"`, 'write routes like "GET /health -> 200" or "GET /docs -> 404|302"');
  return { method: m[1]!, path: m[2]!, status: m[3]! };
}

/** Requests every route (concurrently, redirects not followed) and reports a row per route. */
export async function checkRoutes(o: RoutesCheckOptions, env: CheckEnv = {}): Promise<CheckResult> {
  const start = performance.now();
  const routes = o.routes.map((r, i) => {
    const spec = typeof r === 'string' ? parseRouteLine(r) : r;
    const method = (spec.method ?? 'GET').toUpperCase();
    return { spec, method, matcher: parseStatusMatcher(spec.status, `routes[${i}] status`), expectHeaders: Object.entries(spec.expectHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), headerRegex(v, `routes[${i}] expect-headers.${k}`)] as const) };
  });
  if (routes.length === 0) throw new UserError('SG_CHECK_NO_ROUTES', 'check/routes: no routes given', 'add at least one route');
  const results: CheckItem[][] = new Array(routes.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < routes.length; i = next++) {
      const r = routes[i]!;
      const url = /^https?:\/\//.test(r.spec.path) ? r.spec.path : `${o.baseUrl.replace(/\/+$/, '')}/${r.spec.path.replace(/^\/+/, '')}`;
      const name = `${r.method} ${r.spec.path}`;
      const res = await sendHttpRequest({ url, method: r.method, headers: { ...o.headers, ...r.spec.headers }, timeoutMs: o.timeoutMs ?? 10_000, followRedirects: false, maxBodyBytes: 256 * 1024, ca: o.ca, signal: env.signal });
      if (!res.ok) {
        results[i] = [item(name, false, r.matcher.text, `${res.error.reason}: ${res.error.message}`)];
        continue;
      }
      const rows: CheckItem[] = [item(name, r.matcher.test(res.value.status), r.matcher.text, String(res.value.status), { ms: Math.round(res.value.ms) })];
      for (const [h, re] of r.expectHeaders) {
        const raw = res.value.headers[h];
        const v = Array.isArray(raw) ? raw.join(', ') : raw;
        rows.push(item(`${name} header ${h}`, v !== undefined && re.test(v), `/${re.source}/`, v ?? '(absent)'));
      }
      results[i] = rows;
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency ?? 8, routes.length) }, worker));
  return finishResult('routes', redactUrl(o.baseUrl), results.flat(), performance.now() - start);
}

function headerRegex(source: string, where: string): RegExp {
  try {
    return new RegExp(source);
  } catch (e) {
    throw new UserError('SG_CHECK_BAD_REGEX', `check/routes ${where}: bad regular expression: ${(e as Error).message}`, 'fix the pattern');
  }
}
