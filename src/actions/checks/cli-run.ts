import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type * as z from 'zod';
import { ExitCode } from '../../core/exit-codes.js';
import { UserError } from '../../core/errors.js';
import type { CliIO } from '../../cli/io.js';
import { checkBrowser } from '../../checks/browser-check.js';
import { checkHttp, compileHttpExpect } from '../../checks/http-check.js';
import { checkHttpsOnly } from '../../checks/https-only-check.js';
import { renderMonitorChart } from '../../checks/monitor/chart-svg.js';
import { runMonitor } from '../../checks/monitor/run-monitor.js';
import { checkPostgres } from '../../checks/postgres-check.js';
import { checkRedis } from '../../checks/redis-check.js';
import { renderItemsTable } from '../../checks/render-items.js';
import type { CheckResult } from '../../checks/result.js';
import { checkRoutes } from '../../checks/routes-check.js';
import { checkTcp } from '../../checks/tcp-check.js';
import { measurementsNdjson, monitorSummaryText } from './run-monitor.js';
import { toMonitorOptions } from './to-monitor-options.js';
import { badCliInput, cliInputName, type CliInputs } from './cli-input-names.js';
import { toBrowserOptions, toHttpExpect, toHttpOptions, toHttpsOnlyOptions, toPostgresOptions, toRedisOptions, toRoutesOptions, toTcpOptions, type ConvertEnv } from './to-options.js';
import { BrowserWith, HttpsOnlyWith, HttpWith, MonitorWith, PostgresWith, RedisWith, RoutesWith, TcpWith, type HttpWithT } from './with-schemas.js';

export type CheckKind = 'http' | 'routes' | 'https-only' | 'tcp' | 'postgres' | 'redis' | 'browser' | 'monitor';

export interface CheckCliOptions {
  /** Print the result as JSON instead of a table. */
  readonly json?: boolean;
  /** `--with JSON` or `--with @file.yml`: the action's `with:` inputs; flags override its keys. */
  readonly with?: string;
  /** Directory for screenshots (browser) or the monitor's files. */
  readonly out?: string;
}

const SCHEMAS: Record<CheckKind, z.ZodType> = { http: HttpWith, routes: RoutesWith, 'https-only': HttpsOnlyWith, tcp: TcpWith, postgres: PostgresWith, redis: RedisWith, browser: BrowserWith, monitor: MonitorWith };

/**
 * `shipgate check KIND`: flags (already shaped like `with:`) → the same schema the action uses →
 * the library → a table (or JSON) → exit 0 passed, 1 failed or inconclusive, 2 bad input.
 */
export async function runCheckCli(io: CliIO, kind: CheckKind, flags: Record<string, unknown>, o: CheckCliOptions): Promise<ExitCode> {
  const base = o.with ? await readWith(io, o.with, kind) : {};
  const merged = mergeDeep(base, flags);
  const inputs: CliInputs = { kind, flags, withInput: base };
  const parsed = SCHEMAS[kind].safeParse(merged);
  if (!parsed.success) throw badCliInput(inputs, SCHEMAS[kind], merged, parsed.error.issues);
  const env: ConvertEnv = { cwd: io.cwd, env: Object.fromEntries(Object.entries(io.env).filter((e): e is [string, string] => e[1] !== undefined)) };
  const ac = new AbortController();
  const w = parsed.data as never;
  if (kind === 'monitor') return runMonitorCli(io, await toMonitorOptions(w, env), o, ac.signal);
  // Assertions, statuses and regexes are checked before the request, with the flags' names.
  if (kind === 'http') compileHttpExpect(toHttpExpect((w as HttpWithT).expect, `check ${kind}`), `check ${kind}`, (input) => cliInputName(inputs, input));
  const result = await runOne(kind, w, env, ac.signal);
  const written = await writeFiles(io, result, o.out);
  if (o.json) io.stdout.write(`${JSON.stringify({ ...result, files: written }, null, 2)}\n`);
  else printResult(io, result, written);
  return result.passed ? ExitCode.Success : ExitCode.Failed;
}

async function runOne(kind: Exclude<CheckKind, 'monitor'>, w: never, c: ConvertEnv, signal: AbortSignal): Promise<CheckResult> {
  const env = { signal };
  switch (kind) {
    case 'http':
      return checkHttp(await toHttpOptions(w, c), env);
    case 'routes':
      return checkRoutes(await toRoutesOptions(w, c), env);
    case 'https-only':
      return checkHttpsOnly(await toHttpsOnlyOptions(w, c), env);
    case 'tcp':
      return checkTcp(toTcpOptions(w), env);
    case 'postgres':
      return checkPostgres(toPostgresOptions(w), env);
    case 'redis':
      return checkRedis(toRedisOptions(w), env);
    case 'browser':
      return checkBrowser(toBrowserOptions(w), env);
  }
}

function printResult(io: CliIO, r: CheckResult, written: readonly { path: string }[]): void {
  io.stdout.write(`${r.passed ? 'PASS' : 'FAIL'}  ${r.kind} ${r.target}\n\n`);
  io.stdout.write(renderItemsTable(r.items));
  if (r.cause) io.stdout.write(`\ncould not measure (${r.cause.reason}): ${r.cause.message}\n`);
  for (const f of written) io.stdout.write(`saved ${f.path}\n`);
  io.stdout.write(`\n${r.summary}\n`);
}

async function writeFiles(io: CliIO, r: CheckResult, out: string | undefined): Promise<{ name: string; mediaType: string; size: number; path: string }[]> {
  if (!r.files?.length) return [];
  const dir = resolve(io.cwd, out ?? 'shipgate-check-files');
  await mkdir(dir, { recursive: true });
  const done = [];
  for (const f of r.files) {
    const path = join(dir, f.name);
    await writeFile(path, f.content);
    done.push({ name: f.name, mediaType: f.mediaType, size: f.content.length, path });
  }
  return done;
}

async function runMonitorCli(io: CliIO, options: Awaited<ReturnType<typeof toMonitorOptions>>, o: CheckCliOptions, signal: AbortSignal): Promise<ExitCode> {
  if (!o.json) io.stderr.write(`monitoring ${options.probes.map((p) => p.description).join(', ')} for ${options.durationMs / 1000}s every ${options.intervalMs / 1000}s…\n`);
  const r = await runMonitor({ ...options, onMeasurement: (m) => void (!o.json && m.outcome !== 'success' && io.stderr.write(`  ${m.t} ${m.probe} ${m.outcome}: ${m.detail ?? ''}\n`)) }, { signal });
  const files: string[] = [];
  if (o.out) {
    const dir = resolve(io.cwd, o.out);
    await mkdir(dir, { recursive: true });
    for (const [name, content] of [['measurements.ndjson', measurementsNdjson(r.measurements)], ['summary.txt', monitorSummaryText(r)], ['chart.svg', renderMonitorChart(r)]] as const) {
      await writeFile(join(dir, name), content);
      files.push(join(dir, name));
    }
  }
  if (o.json) io.stdout.write(`${JSON.stringify({ ...r, files }, null, 2)}\n`);
  else {
    io.stdout.write(`${r.status.toUpperCase()}  monitor\n\n${monitorSummaryText(r)}`);
    for (const f of files) io.stdout.write(`saved ${f}\n`);
    if (r.status === 'inconclusive') io.stdout.write('inconclusive: not enough evidence to pass or fail — a person must decide\n');
  }
  return r.status === 'passed' ? ExitCode.Success : ExitCode.Failed;
}

async function readWith(io: CliIO, text: string, kind: string): Promise<Record<string, unknown>> {
  let src = text;
  if (text.startsWith('@')) {
    try {
      src = await readFile(resolve(io.cwd, text.slice(1)), 'utf8');
    } catch (e) {
      throw new UserError('SG_CHECK_BAD_INPUT', `check ${kind} --with: cannot read ${text.slice(1)} (${(e as NodeJS.ErrnoException).code})`, 'give --with @FILE.yml or inline JSON');
    }
  }
  let v: unknown;
  try {
    v = parseYaml(src);
  } catch (e) {
    throw new UserError('SG_CHECK_BAD_INPUT', `check ${kind} --with: not YAML/JSON: ${(e as Error).message.split('\n')[0]}`, 'give --with @FILE.yml or inline JSON');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new UserError('SG_CHECK_BAD_INPUT', `check ${kind} --with: expected a mapping of with: inputs`, `shipgate check ${kind} --help`);
  return v as Record<string, unknown>;
}

/** Flags win over `--with`; nested mappings (expect) are merged key by key. */
function mergeDeep(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (v === undefined) continue;
    const prev = out[k];
    out[k] = prev && v && typeof prev === 'object' && typeof v === 'object' && !Array.isArray(prev) && !Array.isArray(v) ? mergeDeep(prev as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}
