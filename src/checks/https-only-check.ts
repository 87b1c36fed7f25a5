import { performance } from 'node:perf_hooks';
import { sendHttpRequest } from './http-request.js';
import { inspectCertificate } from './tls-inspect.js';
import { finishResult, item, type CheckEnv, type CheckItem, type CheckResult } from './result.js';

export interface HttpsOnlyCheckOptions {
  /** Host name (or IP) the site is served as; the certificate must name it. */
  readonly host: string;
  /** Default: 443. */
  readonly httpsPort?: number;
  /** Default: 80. */
  readonly httpPort?: number;
  /** Default: `/`. */
  readonly path?: string;
  /** PEM of the CA to trust (for a private CA); default: the system roots. */
  readonly ca?: string;
  /** Minimum HSTS max-age in seconds. Default: 15 552 000 (180 days). */
  readonly hstsMinAgeSeconds?: number;
  /** Require HSTS at all. Default: true. */
  readonly requireHsts?: boolean;
  /** The certificate must stay valid at least this many more days. Default: 14. */
  readonly minDaysValid?: number;
  /** Per connection. Default: 10 000 ms. */
  readonly timeoutMs?: number;
}

const DAY_MS = 86_400_000;

/**
 * Checks that a site is served over HTTPS only:
 *   plain HTTP → refused, 426, or 301/308 to https on the same host (302/307 or another host fail);
 *   HTTPS → answers, with HSTS of at least a minimum max-age;
 *   certificate → chain trusted, names the host, and does not expire within the threshold.
 */
export async function checkHttpsOnly(o: HttpsOnlyCheckOptions, env: CheckEnv = {}): Promise<CheckResult> {
  const start = performance.now();
  const clock = env.clock ?? (() => new Date());
  const timeoutMs = o.timeoutMs ?? 10_000;
  const httpsPort = o.httpsPort ?? 443;
  const path = o.path ?? '/';
  const hostPart = o.host.includes(':') ? `[${o.host}]` : o.host;
  const items: CheckItem[] = [judgePlainHttp(await sendHttpRequest({ url: `http://${hostPart}:${o.httpPort ?? 80}${path}`, followRedirects: false, timeoutMs, maxBodyBytes: 64 * 1024, signal: env.signal }), o.host)];

  const cert = await inspectCertificate(o.host, httpsPort, { ca: o.ca, timeoutMs, signal: env.signal });
  const minDays = o.minDaysValid ?? 14;
  if (!cert.ok) {
    items.push(item('certificate', false, 'a certificate', `${cert.error.reason}: ${cert.error.message}`));
    return finishResult('https-only', o.host, items, performance.now() - start, { cause: cert.error });
  }
  const c = cert.value;
  items.push(item('certificate trusted', c.trusted, o.ca ? 'chain trusted by the given CA' : 'chain trusted', c.trusted ? `issued by ${c.issuer}` : `${c.trustError} (issuer ${c.issuer})`));
  items.push(item('certificate host', c.hostValid, `valid for ${o.host}`, c.hostValid ? c.altNames || c.subject : `${c.hostError ?? 'not valid'} (${c.altNames || c.subject})`));
  const days = (c.validTo.getTime() - clock().getTime()) / DAY_MS;
  items.push(item('days until expiry', days >= minDays, `>= ${minDays}`, `${days.toFixed(1)} (not after ${c.validTo.toISOString()})`));

  if (!c.trusted || !c.hostValid) {
    const why = 'not requested: certificate failed verification';
    items.push(item('HTTPS answers', false, 'status < 400', why));
    if (o.requireHsts ?? true) items.push(item('HSTS', false, `max-age >= ${o.hstsMinAgeSeconds ?? 15_552_000}`, why));
    return finishResult('https-only', o.host, items, performance.now() - start);
  }
  const res = await sendHttpRequest({ url: `https://${hostPart}:${httpsPort}${path}`, followRedirects: false, timeoutMs, maxBodyBytes: 256 * 1024, ca: o.ca, signal: env.signal });
  if (!res.ok) {
    items.push(item('HTTPS answers', false, 'status < 400', `${res.error.reason}: ${res.error.message}`));
    return finishResult('https-only', o.host, items, performance.now() - start, { cause: res.error });
  }
  items.push(item('HTTPS answers', res.value.status < 400, 'status < 400', String(res.value.status), { ms: Math.round(res.value.ms) }));
  if (o.requireHsts ?? true) {
    const min = o.hstsMinAgeSeconds ?? 15_552_000;
    const raw = res.value.headers['strict-transport-security'];
    const header = Array.isArray(raw) ? raw[0] : raw;
    const age = header ? /max-age\s*=\s*"?(\d+)"?/i.exec(header)?.[1] : undefined;
    items.push(item('HSTS', age !== undefined && Number(age) >= min, `max-age >= ${min}`, header ? `Strict-Transport-Security: ${header}` : 'no Strict-Transport-Security header'));
  }
  return finishResult('https-only', o.host, items, performance.now() - start);
}

function judgePlainHttp(r: Awaited<ReturnType<typeof sendHttpRequest>>, host: string): CheckItem {
  const name = 'plain HTTP';
  const expected = 'refused, 426, or 301/308 to https on the same host';
  if (!r.ok) {
    if (r.error.reason === 'refused') return item(name, true, expected, 'connection refused');
    return item(name, false, expected, `could not measure: ${r.error.message}`);
  }
  const { status, headers } = r.value;
  if (status === 426) return item(name, true, expected, '426 Upgrade Required');
  const loc = headers.location;
  if ([301, 302, 303, 307, 308].includes(status)) {
    if (!loc) return item(name, false, expected, `${status} without a Location header`);
    let to: URL;
    try {
      to = new URL(loc, `http://${host}/`);
    } catch {
      return item(name, false, expected, `${status} to an invalid Location "${loc}"`);
    }
    if (status !== 301 && status !== 308) return item(name, false, expected, `${status} → ${to.href} (a temporary redirect; use 301 or 308)`);
    if (to.protocol !== 'https:') return item(name, false, expected, `${status} → ${to.href} (not https)`);
    if (to.hostname.replace(/^\[|\]$/g, '') !== host) return item(name, false, expected, `${status} → ${to.href} (another host than ${host})`);
    return item(name, true, expected, `${status} → ${to.href}`);
  }
  return item(name, false, expected, `${status}: served over plain HTTP`);
}
