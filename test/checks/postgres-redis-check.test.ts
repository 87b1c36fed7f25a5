import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkPostgres } from '../../src/checks/postgres-check.js';
import { checkRedis } from '../../src/checks/redis-check.js';
import { probePostgres, probeRedis, requireService, skipWithout, type Service } from '../support/checks-services.js';
import { freePort, Stack } from '../support/checks-servers.js';

const stack = new Stack();
afterEach(() => stack.dispose());
const postgres: Service = await probePostgres();
const redis: Service = await probeRedis();
const PG = 'postgres://postgres:not-a-real-secret@127.0.0.1:5432/postgres';

describe.skipIf(skipWithout(postgres))('check/postgres (real server)', () => {
  beforeAll(() => requireService(postgres));

  it('connects, runs select 1, reads the version and counts connections', async () => {
    const r = await checkPostgres({ url: PG, maxConnections: 10_000, minVersion: 10 });
    expect(r.passed).toBe(true);
    expect(r.target).toBe('127.0.0.1:5432/postgres');
    expect(r.items.find((i) => i.name === 'server version')!.measured).toMatch(/^\d+/);
    expect(JSON.stringify(r)).not.toContain('not-a-real-secret');
  });

  it('fails when connections exceed the maximum', async () => {
    const extra: pg.Client[] = [];
    for (let i = 0; i < 3; i++) {
      const c = new pg.Client({ connectionString: PG });
      await c.connect();
      stack.defer(() => c.end());
      extra.push(c);
    }
    const r = await checkPostgres({ url: PG, maxConnections: 2 });
    expect(r.passed).toBe(false);
    const conn = r.items.find((i) => i.name === 'connections')!;
    expect(conn.expected).toBe('<= 2');
    expect(Number(conn.measured)).toBeGreaterThanOrEqual(4);
  });

  it('names a refused connection', async () => {
    const r = await checkPostgres({ url: `postgres://postgres@127.0.0.1:${await freePort()}/postgres` });
    expect(r.cause?.reason).toBe('refused');
  });
});

describe.skipIf(skipWithout(redis))('check/redis (real server)', () => {
  beforeAll(() => requireService(redis));

  it('PING answers PONG', async () => {
    const r = await checkRedis({ url: 'redis://127.0.0.1:6379' });
    expect(r.passed).toBe(true);
    expect(r.items[0]).toMatchObject({ expected: 'PONG', measured: 'PONG' });
  });

  it('fails fast with a refused cause when nothing listens (no reconnect loop)', async () => {
    const r = await checkRedis({ url: `redis://127.0.0.1:${await freePort()}`, timeoutMs: 3000 });
    expect(r.passed).toBe(false);
    expect(r.cause?.reason).toBe('refused');
  });
});
