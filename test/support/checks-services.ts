import { access, constants } from 'node:fs/promises';
import net from 'node:net';

/**
 * Probes for the outside services the checks tests need. When one is absent, tests skip with a
 * visible reason — unless CI is set, where they must run (and fail): CI skips nothing.
 */
export interface Service {
  readonly name: string;
  readonly available: boolean;
  readonly reason: string;
}

const CI = Boolean(process.env.CI);

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const t = setTimeout(() => (s.destroy(), resolve(false)), 1000);
    s.once('connect', () => (clearTimeout(t), s.destroy(), resolve(true)));
    s.once('error', () => (clearTimeout(t), resolve(false)));
  });
}

export const CHROMIUM_PATH = '/usr/bin/chromium';

export async function probeChromium(): Promise<Service> {
  const ok = await access(CHROMIUM_PATH, constants.X_OK).then(() => true, () => false);
  return { name: 'chromium', available: ok, reason: ok ? '' : `${CHROMIUM_PATH} missing (apt-get install -y chromium)` };
}

export async function probePostgres(): Promise<Service> {
  const ok = await portOpen(5432);
  return { name: 'postgres', available: ok, reason: ok ? '' : 'PostgreSQL not listening on 127.0.0.1:5432' };
}

export async function probeRedis(): Promise<Service> {
  const ok = await portOpen(6379);
  return { name: 'redis', available: ok, reason: ok ? '' : 'Redis not listening on 127.0.0.1:6379' };
}

/**
 * True when tests needing `s` should be skipped: the service is absent and CI is not set.
 * Prints the reason so a skip is never silent. Under CI it returns false, so the test runs and
 * fails on the missing service.
 */
export function skipWithout(s: Service): boolean {
  if (s.available) return false;
  if (CI) return false;
  console.warn(`[checks tests] skipping ${s.name} tests: ${s.reason}`);
  return true;
}

/** Call first in a test that needs `s`: under CI a missing service fails with its reason. */
export function requireService(s: Service): void {
  if (!s.available) throw new Error(`required service missing (CI): ${s.reason}`);
}
