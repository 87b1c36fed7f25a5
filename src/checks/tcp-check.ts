import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { classifyNetworkError } from './measure-failure.js';
import { finishResult, item, type CheckEnv, type CheckItem, type CheckResult, type MeasureFailure } from './result.js';

export interface TcpCheckOptions {
  /** Default: 127.0.0.1. */
  readonly host?: string;
  readonly ports: readonly number[];
  /** `listening` (a connection is accepted) or `free` (refused). Default: listening. */
  readonly state?: 'listening' | 'free';
  /** Per port. Default: 3000 ms. */
  readonly timeoutMs?: number;
}

/** What a connection attempt found. */
export type PortProbe = { readonly state: 'listening'; readonly ms: number } | { readonly state: 'free'; readonly ms: number } | { readonly state: 'unknown'; readonly cause: MeasureFailure; readonly ms: number };

/** Tries one TCP connection. Refused means free; anything else but a connection means unknown. */
export function probePort(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<PortProbe> {
  const start = performance.now();
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    let done = false;
    const finish = (p: PortProbe): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      sock.destroy();
      resolve(p);
    };
    const ms = (): number => performance.now() - start;
    const onAbort = (): void => finish({ state: 'unknown', cause: { reason: 'aborted', message: `aborted while connecting to ${host}:${port}` }, ms: ms() });
    const timer = setTimeout(() => finish({ state: 'unknown', cause: { reason: 'timeout', message: `no answer from ${host}:${port} within ${timeoutMs}ms (filtered?)` }, ms: ms() }), timeoutMs);
    sock.once('connect', () => finish({ state: 'listening', ms: ms() }));
    sock.once('error', (e) => {
      const c = classifyNetworkError(e, `${host}:${port}`);
      finish(c.reason === 'refused' && (e as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? { state: 'free', ms: ms() } : { state: 'unknown', cause: c, ms: ms() });
    });
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Checks that every port is listening (or free, after a stop script that claims success). */
export async function checkTcp(o: TcpCheckOptions, env: CheckEnv = {}): Promise<CheckResult> {
  const start = performance.now();
  const host = o.host ?? '127.0.0.1';
  const want = o.state ?? 'listening';
  const probes = await Promise.all(o.ports.map((p) => probePort(host, p, o.timeoutMs ?? 3000, env.signal)));
  const items: CheckItem[] = probes.map((p, i) =>
    item(`${host}:${o.ports[i]}`, p.state === want, want, p.state === 'unknown' ? `unknown: ${p.cause.message}` : p.state, { ms: Math.round(p.ms) }),
  );
  return finishResult('tcp', `${host} ${o.ports.join(',')}`, items, performance.now() - start);
}
