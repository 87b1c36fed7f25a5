import { performance } from 'node:perf_hooks';
import { createClient } from 'redis';
import { classifyNetworkError } from './measure-failure.js';
import { finishResult, item, type CheckEnv, type CheckResult, type MeasureFailure } from './result.js';

export interface RedisCheckOptions {
  /** `redis://[:password@]host:port[/db]`. The password is never shown. Default: redis://127.0.0.1:6379. */
  readonly url?: string;
  /** Connect and command. Default: 5000 ms. */
  readonly timeoutMs?: number;
}

/** Sends PING once, without reconnecting: a server that is down must fail, not be waited for. */
export async function measureRedis(o: RedisCheckOptions, signal?: AbortSignal): Promise<{ ok: true; value: { reply: string; ms: number } } | { ok: false; error: MeasureFailure }> {
  const start = performance.now();
  const url = o.url ?? 'redis://127.0.0.1:6379';
  const where = describeRedis(url);
  const timeoutMs = o.timeoutMs ?? 5000;
  const client = createClient({ url, socket: { connectTimeout: timeoutMs, reconnectStrategy: false } });
  let lastError: unknown;
  client.on('error', (e) => (lastError = e));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer from ${where} within ${timeoutMs}ms`), { code: 'ETIMEDOUT' })), timeoutMs);
    signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { code: 'ABORT_ERR' })), { once: true });
  });
  try {
    await Promise.race([client.connect(), timeout]);
    const reply = await Promise.race([client.ping(), timeout]);
    return { ok: true, value: { reply: String(reply), ms: performance.now() - start } };
  } catch (e) {
    const cause = (e as { code?: string }).code ? e : (lastError ?? e);
    if ((cause as { code?: string }).code === 'ABORT_ERR') return { ok: false, error: { reason: 'aborted', message: 'aborted' } };
    if (/NOAUTH|WRONGPASS/.test(String((cause as Error)?.message))) return { ok: false, error: { reason: 'auth', message: `${where}: ${(cause as Error).message}` } };
    return { ok: false, error: classifyNetworkError(cause, where) };
  } finally {
    clearTimeout(timer);
    if (client.isOpen) client.destroy();
  }
}

/** Checks that `PING` answers `PONG`. */
export async function checkRedis(o: RedisCheckOptions, env: CheckEnv = {}): Promise<CheckResult> {
  const start = performance.now();
  const url = o.url ?? 'redis://127.0.0.1:6379';
  const m = await measureRedis(o, env.signal);
  if (!m.ok) return finishResult('redis', describeRedis(url), [item('PING', false, 'PONG', m.error.message)], performance.now() - start, { cause: m.error });
  return finishResult('redis', describeRedis(url), [item('PING', m.value.reply === 'PONG', 'PONG', m.value.reply, { ms: Math.round(m.value.ms) })], performance.now() - start);
}

/** `host:port` without credentials. */
export function describeRedis(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 6379}`;
  } catch {
    return 'redis (unparseable URL)';
  }
}
