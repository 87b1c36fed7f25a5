/** The `shipgate migrations …` commands: flags → options → one library call → exit code. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createAnalyzer, formatReport, lintMigrations, loadMigrationSources, type Dialect, type MigrationTool, type ReportFormat } from '../../analysis/index.js';
import { changedFilesSince } from '../../analysis/changed-since.js';
import { UserError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import type { CliIO } from '../../cli/io.js';
import { VERSION } from '../../cli/version.js';
import { loadRunbook } from '../../runbook/load.js';
import type { LoadedRunbook } from '../../runbook/loaded-runbook.js';
import { resolveMigrations } from './config.js';
import { isGated, type FailOn } from './gate.js';
import { readStatus, resolveDbTarget } from './service.js';
import { statusLine } from './status.js';

export interface LintFlags {
  readonly runbook?: string;
  readonly tool?: MigrationTool;
  readonly dialect?: Dialect;
  readonly since?: string;
  readonly format: ReportFormat;
  readonly failOn: FailOn;
  readonly maxBytes?: number;
}

export async function lintCommand(io: CliIO, paths: readonly string[], flags: LintFlags): Promise<ExitCode> {
  // With explicit paths the runbook is read only when named (--runbook): flags say the rest.
  const loaded = paths.length === 0 || flags.runbook ? await maybeRunbook(io, flags.runbook, true) : undefined;
  const cfg = loaded ? resolveMigrations(loaded) : undefined;
  const cwd = paths.length > 0 ? io.cwd : cfg!.base;
  const tool = flags.tool ?? (paths.length > 0 ? undefined : cfg?.tool);
  const only = flags.since ? await changedFilesSince(flags.since, { cwd }) : undefined;
  for (const p of paths) if (!existsSync(path.resolve(cwd, p))) throw new UserError('SG_MIGRATIONS_PATH_MISSING', `${p}: no such file or folder`, `ls ${path.dirname(p)}`);
  const sources = await loadMigrationSources({
    cwd, paths: paths.length > 0 ? paths : [path.relative(cwd, cfg!.dir) || '.'],
    ...(paths.length > 0 ? {} : { origin: cfg!.origin }),
    ...(tool ? { tool } : {}), dialect: flags.dialect ?? cfg?.dialect ?? 'postgres',
    ...(only ? { only } : {}), ...(flags.maxBytes ? { maxBytes: flags.maxBytes } : {}),
  });
  const analyzer = await createAnalyzer({ alembic: sources.some((s) => s.tool === 'alembic') });
  const report = lintMigrations(analyzer, sources);
  io.stdout.write(formatReport(report, flags.format, VERSION));
  if (sources.length === 0 && flags.format === 'text') io.stderr.write(flags.since ? `no migrations changed since ${flags.since}\n` : 'no migration files found\n');
  return report.migrations.some((m) => isGated(m.class, flags.failOn)) ? ExitCode.Failed : ExitCode.Success;
}

export interface StatusFlags {
  readonly runbook?: string;
  readonly databaseUrl?: string;
  readonly json?: boolean;
}

export async function statusCommand(io: CliIO, flags: StatusFlags): Promise<ExitCode> {
  const loaded = (await maybeRunbook(io, flags.runbook, true))!;
  const cfg = resolveMigrations(loaded);
  const s = await readStatus(cfg, resolveDbTarget(loaded, flags.databaseUrl, io.env));
  if (flags.json) io.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
  else {
    io.stdout.write(`${statusLine(s)}\n`);
    for (const id of s.pending) io.stdout.write(`  pending        ${id}\n`);
    for (const id of s.failed) io.stdout.write(`  failed         ${id}\n`);
    for (const id of s.unknownInDb) io.stdout.write(`  unknown-in-db  ${id}\n`);
  }
  return s.failed.length > 0 ? ExitCode.Failed : ExitCode.Success;
}

async function maybeRunbook(io: CliIO, file: string | undefined, required: boolean): Promise<LoadedRunbook | undefined> {
  const name = file ?? 'shipgate.yml';
  if (!file && !existsSync(path.resolve(io.cwd, name))) {
    if (!required) return undefined;
    throw new UserError('SG_MIGRATIONS_NO_RUNBOOK', `no ${name} in ${io.cwd} and no paths given`, 'shipgate migrations lint path/to/migrations  (or --runbook FILE)');
  }
  const r = await loadRunbook(name, { cwd: io.cwd });
  if (!r.ok) {
    const d = r.error[0]!;
    throw new UserError('SG_RUNBOOK_INVALID', `${d.file}:${d.pos.line}:${d.pos.col}: ${d.message}`, `shipgate validate ${name}`);
  }
  return r.value;
}
