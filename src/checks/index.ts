/**
 * shipgate's checks library: each check takes typed options plus `{ signal, clock }` and returns
 * a CheckResult (expected vs measured per item, and the cause when it could not measure).
 */
export * from './result.js';
export { checkHttp, compileHttpExpect, redactUrl, type HttpCheckOptions, type HttpExpect } from './http-check.js';
export { sendHttpRequest, type HttpRequestOptions, type HttpResponse } from './http-request.js';
export { checkRoutes, parseRouteLine, type RouteSpec, type RoutesCheckOptions } from './routes-check.js';
export { checkHttpsOnly, type HttpsOnlyCheckOptions } from './https-only-check.js';
export { checkTcp, probePort, type TcpCheckOptions } from './tcp-check.js';
export { checkPostgres, type PostgresCheckOptions } from './postgres-check.js';
export { checkRedis, type RedisCheckOptions } from './redis-check.js';
export { checkBrowser, type BrowserCheckOptions, type BrowserStep } from './browser-check.js';
export { parseAssertion, evaluateAssertion, type JsonAssertion } from './assertion.js';
export { renderItemsTable } from './render-items.js';
export { runMonitor } from './monitor/run-monitor.js';
export type * from './monitor/monitor-types.js';
export { parseCondition, type Condition } from './monitor/condition.js';
export { percentile } from './monitor/percentile.js';
export { renderMonitorChart } from './monitor/chart-svg.js';
export { renderMonitorTable } from './monitor/render-table.js';
export { httpProbe, tcpProbe, postgresProbe, redisProbe } from './monitor/probes.js';
export { commandProbe } from './monitor/command-probe.js';
export { logFileProbe } from './monitor/log-file-probe.js';
