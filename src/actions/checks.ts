import { defineAction, type ActionDefinition } from './action.js';
import { BrowserWith, HttpsOnlyWith, HttpWith, MonitorWith, PostgresWith, RedisWith, RoutesWith, TcpWith } from './checks/with-schemas.js';

// Definitions are cheap (zod schemas only); each implementation is imported when a step runs.

const http = defineAction({
  name: 'check/http',
  summary: 'Request a URL and judge status, JSON-path assertions, body and headers; optional retry-for polling.',
  with: HttpWith,
  load: async () => (await import('./checks/run-simple.js')).httpImpl,
});

const routes = defineAction({
  name: 'check/routes',
  summary: 'Request a table of routes concurrently and judge each status (and CORS headers).',
  with: RoutesWith,
  load: async () => (await import('./checks/run-simple.js')).routesImpl,
});

const httpsOnly = defineAction({
  name: 'check/https-only',
  summary: 'Plain HTTP refused/426/301|308 to https on the same host; HSTS; certificate trusted, for the host, not expiring soon.',
  with: HttpsOnlyWith,
  load: async () => (await import('./checks/run-simple.js')).httpsOnlyImpl,
});

const tcp = defineAction({
  name: 'check/tcp',
  summary: 'Ports listening, or free (after a stop script).',
  with: TcpWith,
  load: async () => (await import('./checks/run-simple.js')).tcpImpl,
});

const postgres = defineAction({
  name: 'check/postgres',
  summary: 'Connect, select 1, server version, connections in pg_stat_activity against a maximum.',
  with: PostgresWith,
  load: async () => (await import('./checks/run-simple.js')).postgresImpl,
});

const redis = defineAction({
  name: 'check/redis',
  summary: 'PING answers PONG.',
  with: RedisWith,
  load: async () => (await import('./checks/run-simple.js')).redisImpl,
});

const browser = defineAction({
  name: 'check/browser',
  summary: 'A scripted visit in headless Chromium (goto, fill, click, expect text); a screenshot of each checkpoint as evidence.',
  with: BrowserWith,
  load: async () => (await import('./checks/run-browser.js')).browserImpl,
});

const monitor = defineAction({
  name: 'monitor',
  summary: 'Watch a window of probes with thresholds and Argo-style limits; inconclusive pauses for a person. Chart + every measurement kept.',
  with: MonitorWith,
  load: async () => (await import('./checks/run-monitor.js')).monitorImpl,
});

/** Actions of the checks family. */
export const checksActions: readonly ActionDefinition[] = [http, routes, httpsOnly, tcp, postgres, redis, browser, monitor] as readonly ActionDefinition[];
