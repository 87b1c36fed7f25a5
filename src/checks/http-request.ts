import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { err, ok, type Result } from '../core/result.js';
import { formatDuration } from '../core/duration.js';
import { classifyNetworkError } from './measure-failure.js';
import type { MeasureFailure } from './result.js';

/** One HTTP(S) exchange, with every limit a check needs so that no server can make it hang. */
export interface HttpRequestOptions {
  readonly url: string;
  /** Default: GET. */
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Whole attempt, redirects included. Default: 10 000 ms. */
  readonly timeoutMs?: number;
  /** The body is read up to this many bytes; beyond, the attempt stops. Default: 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Follow 301/302/303/307/308. Default: true. */
  readonly followRedirects?: boolean;
  /** Default: 10. */
  readonly maxRedirects?: number;
  /** PEM of extra trusted CA certificate(s) for this request only; verification stays on. */
  readonly ca?: string;
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  /** The final URL (after redirects). */
  readonly url: string;
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** Time from the first byte sent to the last byte of the body, all hops. */
  readonly ms: number;
  /** Each redirect followed, `301 http://a/ → http://b/`. */
  readonly redirects: readonly string[];
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Sends a request; a failure to measure is a value, never an exception. */
export async function sendHttpRequest(o: HttpRequestOptions): Promise<Result<HttpResponse, MeasureFailure>> {
  const timeoutMs = o.timeoutMs ?? 10_000;
  const start = performance.now();
  const deadline = start + timeoutMs;
  const redirects: string[] = [];
  const seen = new Set<string>();
  let url: URL;
  try {
    url = new URL(o.url);
  } catch {
    return err({ reason: 'other', message: `"${o.url}" is not a URL` });
  }
  let method = (o.method ?? 'GET').toUpperCase();
  let body = o.body;
  for (;;) {
    seen.add(`${method} ${url.href}`);
    const r = await requestOnce(url, method, body, o, deadline, timeoutMs);
    if (!r.ok) return r;
    const res = r.value;
    const location = res.headers.location;
    if (!(o.followRedirects ?? true) || !REDIRECTS.has(res.status) || !location) {
      return ok({ ...res, url: url.href, ms: performance.now() - start, redirects });
    }
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      return err({ reason: 'protocol', message: `${url.href} redirected to an invalid Location "${location}"` });
    }
    if (res.status === 303) {
      method = 'GET';
      body = undefined;
    }
    redirects.push(`${res.status} ${url.href} → ${next.href}`);
    if (seen.has(`${method} ${next.href}`)) {
      return err({ reason: 'redirect-loop', message: `redirect loop: ${[...redirects.map((s) => s.split(' → ')[0]!.split(' ')[1]), next.href].join(' → ')}` });
    }
    if (redirects.length > (o.maxRedirects ?? 10)) {
      return err({ reason: 'too-many-redirects', message: `more than ${o.maxRedirects ?? 10} redirects, last to ${next.href}` });
    }
    url = next;
  }
}

function requestOnce(
  url: URL,
  method: string,
  body: string | undefined,
  o: HttpRequestOptions,
  deadline: number,
  timeoutMs: number,
): Promise<Result<Omit<HttpResponse, 'url' | 'ms' | 'redirects'>, MeasureFailure>> {
  const max = o.maxBodyBytes ?? 1024 * 1024;
  const where = url.host;
  return new Promise((resolve) => {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      resolve(err({ reason: 'other', message: `${url.href}: only http: and https: URLs are supported` }));
      return;
    }
    let settled = false;
    let phase: 'connect' | 'headers' | 'body' = 'connect';
    const finish = (r: Result<Omit<HttpResponse, 'url' | 'ms' | 'redirects'>, MeasureFailure>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(r);
    };
    const onAbort = (): void => finish(err({ reason: 'aborted', message: `request to ${where} aborted` }));
    const mod = url.protocol === 'https:' ? https : http;
    // agent: false — a fresh connection per attempt, so one check never reuses a socket another opened.
    const req = mod.request(url, { method, headers: { ...o.headers }, agent: false, ...(o.ca !== undefined && { ca: o.ca }) }, (res) => {
      phase = 'body';
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > max) {
        finish(err({ reason: 'too-large', message: `body exceeded ${max} bytes (Content-Length ${declared})` }));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > max) finish(err({ reason: 'too-large', message: `body exceeded ${max} bytes` }));
        else chunks.push(c);
      });
      res.on('end', () => finish(ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })));
      res.on('error', (e) => finish(err(classifyNetworkError(e, where))));
      res.on('aborted', () => finish(err({ reason: 'reset', message: `${where} closed the connection mid-body` })));
    });
    req.on('socket', (s) => s.once('connect', () => (phase = phase === 'connect' ? 'headers' : phase)));
    req.on('error', (e) => finish(err(classifyNetworkError(e, where))));
    const timer = setTimeout(() => {
      const what = phase === 'connect' ? 'no connection' : phase === 'headers' ? 'no response' : 'body not complete';
      finish(err({ reason: 'timeout', message: `${what} from ${where} within ${formatDuration(timeoutMs)}` }));
    }, Math.max(0, deadline - performance.now()));
    if (o.signal?.aborted) {
      onAbort();
      return;
    }
    o.signal?.addEventListener('abort', onAbort, { once: true });
    req.end(body);
  });
}
