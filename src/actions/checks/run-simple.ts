import { checkHttp } from '../../checks/http-check.js';
import { checkHttpsOnly } from '../../checks/https-only-check.js';
import { checkPostgres } from '../../checks/postgres-check.js';
import { checkRedis } from '../../checks/redis-check.js';
import { checkRoutes } from '../../checks/routes-check.js';
import { checkTcp } from '../../checks/tcp-check.js';
import type { ActionImpl } from '../action.js';
import { outcomeFromResult } from './outcome.js';
import { toHttpOptions, toHttpsOnlyOptions, toPostgresOptions, toRedisOptions, toRoutesOptions, toTcpOptions } from './to-options.js';
import type { HttpsOnlyWithT, HttpWithT, PostgresWithT, RedisWithT, RoutesWithT, TcpWithT } from './with-schemas.js';

// Thin adapters: with → options → library call → outcome. Nothing else happens here.

export const httpImpl: ActionImpl<HttpWithT> = {
  async run(w, ctx) {
    const r = await checkHttp(await toHttpOptions(w, ctx), ctx);
    const status = r.items.find((i) => i.name === 'status');
    return outcomeFromResult(r, ctx, { status: status?.measured ?? '', attempts: String(r.attempts ?? 1) });
  },
};

export const routesImpl: ActionImpl<RoutesWithT> = { run: async (w, ctx) => outcomeFromResult(await checkRoutes(await toRoutesOptions(w, ctx), ctx), ctx) };
export const httpsOnlyImpl: ActionImpl<HttpsOnlyWithT> = { run: async (w, ctx) => outcomeFromResult(await checkHttpsOnly(await toHttpsOnlyOptions(w, ctx), ctx), ctx) };
export const tcpImpl: ActionImpl<TcpWithT> = { run: async (w, ctx) => outcomeFromResult(await checkTcp(toTcpOptions(w), ctx), ctx) };
export const postgresImpl: ActionImpl<PostgresWithT> = {
  async run(w, ctx) {
    const r = await checkPostgres(toPostgresOptions(w), ctx);
    return outcomeFromResult(r, ctx, { connections: r.items.find((i) => i.name === 'connections')?.measured ?? '', version: r.items.find((i) => i.name === 'server version')?.measured ?? '' });
  },
};
export const redisImpl: ActionImpl<RedisWithT> = { run: async (w, ctx) => outcomeFromResult(await checkRedis(toRedisOptions(w), ctx), ctx) };
