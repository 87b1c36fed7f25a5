import { performance } from 'node:perf_hooks';
import { UserError } from '../core/errors.js';
import { formatDuration } from '../core/duration.js';
import { evaluateAssertion, parseAssertion, showValue, type JsonAssertion } from './assertion.js';
import { sendHttpRequest, type HttpResponse } from './http-request.js';
import { finishResult, item, type CheckEnv, type CheckItem, type CheckResult } from './result.js';
import { sleep } from './sleep.js';
import { parseStatusMatcher, type StatusSpec } from './status-matcher.js';

/** What a response must show. Everything given must hold. */
export interface HttpExpect {
  /** Accepted statuses. Default: `2xx`. */
  readonly status?: StatusSpec;
  /** JSON path → value that must be equal (`{ status: healthy, "services.database": ok }`). */
  readonly json?: Readonly<Record<string, string | number | boolean | null>>;
  /** Assertions `PATH OP VALUE` over the JSON body (`status == healthy`, `uptime > 10`). */
  readonly assert?: readonly string[];
  /** A regular expression the body must match. */
  readonly body?: string;
  /** A regular expression the body must NOT match (e.g. `degraded`). */
  readonly bodyNot?: string;
  /** Header name → regular expression its value must match. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Latency limit for the successful attempt, in ms. Default: none. */
  readonly maxLatencyMs?: number;
}

export interface HttpCheckOptions {
  readonly url: string;
  /** Default: GET. */
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly expect?: HttpExpect;
  /** Per attempt. Default: 10 000 ms. */
  readonly timeoutMs?: number;
  /** Keep trying until the check passes or this much time has passed. Default: 0 (one attempt). */
  readonly retryForMs?: number;
  /** Pause between attempts. Default: 1000 ms. */
  readonly retryIntervalMs?: number;
  /** Default: 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Default: true. */
  readonly followRedirects?: boolean;
  /** PEM of a CA to trust for this check only. */
  readonly ca?: string;
}

/** Builds the judged items for one response. Exported for monitor's http probe. */
export interface CompiledExpect {
  judge(res: HttpResponse): CheckItem[];
}

/**
 * Validates `expect` once, up front: a bad regex or assertion is bad input, not a failed check.
 * `name` says how the caller's user wrote each input — `expect.assert` in a runbook, `--assert`
 * on the command line — so the message points at what they typed.
 */
export function compileHttpExpect(e: HttpExpect = {}, where = 'check/http', name: (input: string) => string = (input) => input): CompiledExpect {
  const status = parseStatusMatcher(e.status ?? '2xx', `${where} ${name('expect.status')}`);
  const asserts: JsonAssertion[] = [];
  for (const [path, v] of Object.entries(e.json ?? {})) asserts.push(must(parseAssertion(`${path} == ${v === null ? 'null' : String(v)}`), where, name('expect.json')));
  for (const a of e.assert ?? []) asserts.push(must(parseAssertion(a), where, name('expect.assert')));
  const body = e.body !== undefined ? regex(e.body, `${where} ${name('expect.body')}`) : undefined;
  const bodyNot = e.bodyNot !== undefined ? regex(e.bodyNot, `${where} ${name('expect.body-not')}`) : undefined;
  const headers = Object.entries(e.headers ?? {}).map(([k, v]) => [k.toLowerCase(), regex(v, `${where} ${name(`expect.headers.${k}`)}`)] as const);
  return {
    judge(res) {
      const items: CheckItem[] = [item('status', status.test(res.status), status.text, String(res.status), { ms: Math.round(res.ms) })];
      const text = res.body.toString('utf8');
      if (asserts.length > 0) {
        let doc: unknown;
        let parsed = true;
        try {
          doc = JSON.parse(text);
        } catch {
          parsed = false;
        }
        for (const a of asserts) {
          if (!parsed) items.push(item(`json ${a.text}`, false, a.text, `body is not JSON: ${showValue(text.slice(0, 80))}`));
          else {
            const o = evaluateAssertion(a, doc);
            items.push(item(`json ${a.text}`, o.passed, a.text, o.measured));
          }
        }
      }
      if (body) items.push(item('body matches', body.test(text), `/${body.source}/`, body.test(text) ? 'matched' : `no match in ${res.body.length} bytes`));
      if (bodyNot) {
        const m = bodyNot.exec(text);
        items.push(item('body does not match', !m, `no /${bodyNot.source}/`, m ? `found "${m[0]}"` : 'no match'));
      }
      for (const [name, re] of headers) {
        const raw = res.headers[name];
        const v = Array.isArray(raw) ? raw.join(', ') : raw;
        items.push(item(`header ${name}`, v !== undefined && re.test(v), `/${re.source}/`, v ?? '(absent)'));
      }
      if (e.maxLatencyMs !== undefined) {
        items.push(item('latency', res.ms <= e.maxLatencyMs, `<= ${e.maxLatencyMs}ms`, `${Math.round(res.ms)}ms`));
      }
      return items;
    },
  };
}

/**
 * GETs (or sends) a request and judges the response. With `retryForMs`, polls until it passes
 * or the time is up — what a start script that does not wait for readiness needs — and reports
 * the last attempt.
 */
export async function checkHttp(o: HttpCheckOptions, env: CheckEnv = {}): Promise<CheckResult> {
  const expect = compileHttpExpect(o.expect);
  const clock = env.clock ?? (() => new Date());
  const target = `${(o.method ?? 'GET').toUpperCase()} ${redactUrl(o.url)}`;
  const start = performance.now();
  const deadline = clock().getTime() + (o.retryForMs ?? 0);
  let attempts = 0;
  for (;;) {
    attempts++;
    const r = await sendHttpRequest({ ...o, timeoutMs: o.timeoutMs ?? 10_000, signal: env.signal });
    const last = r.ok ? { items: expect.judge(r.value) } : { items: [item('response', false, 'a response', r.error.message)], cause: r.error };
    const passed = !last.cause && last.items.every((i) => i.passed);
    const outOfTime = clock().getTime() + (o.retryIntervalMs ?? 1000) > deadline;
    if (passed || outOfTime || env.signal?.aborted) {
      const res = finishResult('http', target, last.items, performance.now() - start, { ...(last.cause && { cause: last.cause }), attempts });
      if (attempts === 1 || passed) return res;
      return { ...res, summary: `${res.summary} (after ${attempts} attempts over ${formatDuration(o.retryForMs ?? 0)})` };
    }
    await sleep(o.retryIntervalMs ?? 1000, env.signal);
  }
}

/** Removes credentials and query values from a URL for display. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const k of [...u.searchParams.keys()]) if (/token|key|secret|pass|sig/i.test(k)) u.searchParams.set(k, '***');
    return u.href;
  } catch {
    return url;
  }
}

function must(a: JsonAssertion | string, where: string, input: string): JsonAssertion {
  if (typeof a === 'string') throw new UserError('SG_CHECK_BAD_ASSERTION', `${where} ${input}: ${a}`, `fix the assertion in \`${input}\``);
  return a;
}

function regex(source: string, where: string): RegExp {
  try {
    return new RegExp(source);
  } catch (e) {
    throw new UserError('SG_CHECK_BAD_REGEX', `${where}: bad regular expression: ${(e as Error).message}`, 'fix the pattern');
  }
}
