import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { requireDuration } from '../../core/duration.js';
import { UserError } from '../../core/errors.js';
import type { BrowserCheckOptions, BrowserStep } from '../../checks/browser-check.js';
import type { HttpCheckOptions, HttpExpect } from '../../checks/http-check.js';
import type { HttpsOnlyCheckOptions } from '../../checks/https-only-check.js';
import type { PostgresCheckOptions } from '../../checks/postgres-check.js';
import type { RedisCheckOptions } from '../../checks/redis-check.js';
import type { RoutesCheckOptions } from '../../checks/routes-check.js';
import type { TcpCheckOptions } from '../../checks/tcp-check.js';
import type { BrowserWithT, HttpsOnlyWithT, HttpWithT, PostgresWithT, RedisWithT, RoutesWithT, TcpWithT } from './with-schemas.js';

/** Where relative paths (CA files, log files) are resolved, and the environment for commands. */
export interface ConvertEnv {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
}

const ms = (v: string | number | undefined, where: string): number | undefined => (v === undefined ? undefined : requireDuration(v, where));

/** Reads a CA PEM file; a missing file is bad input (exit 2), not a failed check. */
export async function readCa(path: string | undefined, cwd: string, where: string): Promise<string | undefined> {
  if (path === undefined) return undefined;
  const abs = resolve(cwd, path);
  try {
    return await readFile(abs, 'utf8');
  } catch (e) {
    throw new UserError('SG_CHECK_CA_UNREADABLE', `${where}: cannot read CA file ${abs} (${(e as NodeJS.ErrnoException).code})`, 'give the path of a PEM certificate file');
  }
}

/** `1MB` → 1 048 576 (binary units, as people mean them for body sizes). */
export function parseByteSize(v: string | number | undefined): number | undefined {
  if (v === undefined || typeof v === 'number') return v;
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB)?$/i.exec(v.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? 'B').toUpperCase();
  return Math.round(Number(m[1]) * (unit.startsWith('M') ? 1024 * 1024 : unit.startsWith('K') ? 1024 : 1));
}

export function toHttpExpect(e: HttpWithT['expect'], where: string): HttpExpect | undefined {
  if (!e) return undefined;
  return {
    ...(e.status !== undefined && { status: e.status }),
    ...(e.json && { json: e.json }),
    ...(e.assert !== undefined && { assert: typeof e.assert === 'string' ? [e.assert] : e.assert }),
    ...(e.body !== undefined && { body: e.body }),
    ...(e['body-not'] !== undefined && { bodyNot: e['body-not'] }),
    ...(e.headers && { headers: e.headers }),
    ...(e['max-latency'] !== undefined && { maxLatencyMs: ms(e['max-latency'], `${where} expect.max-latency`) }),
  };
}

export async function toHttpOptions(w: HttpWithT, c: ConvertEnv): Promise<HttpCheckOptions> {
  return {
    url: w.url,
    ...(w.method && { method: w.method }),
    ...(w.headers && { headers: w.headers }),
    ...(w.body !== undefined && { body: w.body }),
    ...(w.expect && { expect: toHttpExpect(w.expect, 'check/http') }),
    ...(w.timeout !== undefined && { timeoutMs: ms(w.timeout, 'check/http timeout') }),
    ...(w['retry-for'] !== undefined && { retryForMs: ms(w['retry-for'], 'check/http retry-for') }),
    ...(w['retry-interval'] !== undefined && { retryIntervalMs: ms(w['retry-interval'], 'check/http retry-interval') }),
    ...(w['max-body'] !== undefined && { maxBodyBytes: parseByteSize(w['max-body']) }),
    ...(w['follow-redirects'] !== undefined && { followRedirects: w['follow-redirects'] }),
    ...(w.ca !== undefined && { ca: await readCa(w.ca, c.cwd, 'check/http ca') }),
  };
}

export async function toRoutesOptions(w: RoutesWithT, c: ConvertEnv): Promise<RoutesCheckOptions> {
  return {
    baseUrl: w['base-url'],
    routes: w.routes.map((r) => (typeof r === 'string' ? r : { ...(r.method && { method: r.method }), path: r.path, status: r.status, ...(r.headers && { headers: r.headers }), ...(r['expect-headers'] && { expectHeaders: r['expect-headers'] }) })),
    ...(w.headers && { headers: w.headers }),
    ...(w.timeout !== undefined && { timeoutMs: ms(w.timeout, 'check/routes timeout') }),
    ...(w.concurrency !== undefined && { concurrency: w.concurrency }),
    ...(w.ca !== undefined && { ca: await readCa(w.ca, c.cwd, 'check/routes ca') }),
  };
}

export async function toHttpsOnlyOptions(w: HttpsOnlyWithT, c: ConvertEnv): Promise<HttpsOnlyCheckOptions> {
  return {
    host: w.host,
    ...(w['https-port'] !== undefined && { httpsPort: w['https-port'] }),
    ...(w['http-port'] !== undefined && { httpPort: w['http-port'] }),
    ...(w.path !== undefined && { path: w.path }),
    ...(w.ca !== undefined && { ca: await readCa(w.ca, c.cwd, 'check/https-only ca') }),
    ...(w['hsts-min-age'] !== undefined && { hstsMinAgeSeconds: Math.round(ms(w['hsts-min-age'], 'check/https-only hsts-min-age')! / 1000) }),
    ...(w['require-hsts'] !== undefined && { requireHsts: w['require-hsts'] }),
    ...(w['min-days-valid'] !== undefined && { minDaysValid: w['min-days-valid'] }),
    ...(w.timeout !== undefined && { timeoutMs: ms(w.timeout, 'check/https-only timeout') }),
  };
}

export function toTcpOptions(w: TcpWithT): TcpCheckOptions {
  return { ...(w.host && { host: w.host }), ports: w.ports, ...(w.state && { state: w.state }), ...(w.timeout !== undefined && { timeoutMs: ms(w.timeout, 'check/tcp timeout') }) };
}

export function toPostgresOptions(w: PostgresWithT): PostgresCheckOptions {
  return { url: w.url, ...(w['max-connections'] !== undefined && { maxConnections: w['max-connections'] }), ...(w['min-version'] !== undefined && { minVersion: w['min-version'] }), ...(w.timeout !== undefined && { timeoutMs: ms(w.timeout, 'check/postgres timeout') }) };
}

export function toRedisOptions(w: RedisWithT): RedisCheckOptions {
  return { ...(w.url && { url: w.url }), ...(w.timeout !== undefined && { timeoutMs: ms(w.timeout, 'check/redis timeout') }) };
}

export function toBrowserOptions(w: BrowserWithT, tmpDir?: string): BrowserCheckOptions {
  const steps: BrowserStep[] = w.steps.map((s) => {
    if ('expect-text' in s) return { expectText: s['expect-text'] };
    if ('expect-selector' in s) return { expectSelector: s['expect-selector'] };
    return s;
  });
  return {
    url: w.url,
    steps,
    ...(w.timeout !== undefined && { timeoutMs: ms(w.timeout, 'check/browser timeout') }),
    ...(w.chromium && { executablePath: w.chromium }),
    ...(w.viewport && { viewport: w.viewport }),
    ...(tmpDir && { tmpDir }),
  };
}
