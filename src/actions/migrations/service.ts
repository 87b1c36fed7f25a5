/**
 * What the actions and the CLI share: lint the configured migrations, read their status from
 * the database. IO lives here (files, git, database); the judging is in src/analysis.
 */
import path from 'node:path';
import { createAnalyzer, lintMigrations, loadMigrationSources, type LintReport } from '../../analysis/index.js';
import { changedFilesSince } from '../../analysis/changed-since.js';
import { UserError } from '../../core/errors.js';
import type { LoadedRunbook } from '../../runbook/loaded-runbook.js';
import { readBookkeeping } from './bookkeeping.js';
import type { ResolvedMigrations } from './config.js';
import { withMigrationDb, type DbTarget } from './db/migration-db.js';
import { compareStatus, type DiskMigration, type MigrationStatus } from './status.js';

export interface LintOptions {
  /** Files or folders relative to the runbook; default: the configured `dir`. */
  readonly paths?: readonly string[];
  /** Where `paths` came from, for error messages (e.g. "with: paths of step gate"). */
  readonly pathsOrigin?: string;
  /** Only migrations added or changed since this git ref. */
  readonly since?: string;
  /** Only these migration ids (e.g. the pending ones). */
  readonly ids?: ReadonlySet<string>;
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
}

/** Lint the configured migrations; file paths in the report are relative to the runbook folder. */
export async function lintConfigured(cfg: ResolvedMigrations, opts: LintOptions = {}): Promise<LintReport> {
  const only = opts.since ? await changedFilesSince(opts.since, { cwd: cfg.base, ...(opts.signal ? { signal: opts.signal } : {}) }) : undefined;
  const given = opts.paths && opts.paths.length > 0;
  const sources = await loadMigrationSources({
    cwd: cfg.base, tool: cfg.tool, dialect: cfg.dialect,
    paths: given ? opts.paths! : [path.relative(cfg.base, cfg.dir) || '.'],
    ...(given ? (opts.pathsOrigin ? { origin: opts.pathsOrigin } : {}) : { origin: cfg.origin }),
    ...(only ? { only } : {}), ...(opts.maxBytes ? { maxBytes: opts.maxBytes } : {}),
  });
  const analyzer = await createAnalyzer({ alembic: cfg.tool === 'alembic' });
  const report = lintMigrations(analyzer, sources);
  if (!opts.ids) return report;
  const ms = report.migrations.filter((m) => opts.ids!.has(m.id));
  const { summarize } = await import('../../analysis/lint.js');
  return summarize(ms);
}

/** Migrations on disk with ids the bookkeeping uses (Alembic: the revision id inside the file). */
export async function diskMigrations(cfg: ResolvedMigrations): Promise<DiskMigration[]> {
  const report = await lintConfigured(cfg);
  return report.migrations.map((m) => ({ id: m.id, file: m.file, ...(m.downRevision !== undefined ? { downRevision: m.downRevision } : {}) }));
}

/** Read status: files on disk vs the tool's bookkeeping table. */
export async function readStatus(cfg: ResolvedMigrations, target: DbTarget, disk?: readonly DiskMigration[]): Promise<MigrationStatus> {
  const files = disk ?? (await diskMigrations(cfg));
  const book = await withMigrationDb(target, (db) => readBookkeeping(db, cfg.tool));
  return compareStatus(cfg.tool, files, book);
}

/**
 * The database to read: an explicit URL (`with: database-url`, `--database-url`), else the
 * runbook's `data.database`. A URL's scheme picks the engine; a bare path is SQLite.
 */
export function resolveDbTarget(loaded: LoadedRunbook, explicit: string | undefined, env: Readonly<Record<string, string | undefined>>): DbTarget {
  if (explicit) return targetFromUrl(explicit, loaded.dir);
  const db = loaded.runbook.data?.database;
  if (!db) {
    throw new UserError('SG_MIGRATIONS_NO_DATABASE', `${loaded.path}: no database to read migration status from`, 'add data.database { kind, url | path } to the runbook, or pass --database-url / with: database-url');
  }
  if (db.kind === 'sqlite') {
    if (!db.path) throw new UserError('SG_MIGRATIONS_NO_DATABASE', `${loaded.path}: data.database.kind is sqlite but has no path`, 'set data.database.path');
    return { kind: 'sqlite', path: path.resolve(loaded.dir, expandEnv(db.path, env)) };
  }
  const url = expandEnv(db.url ?? '', env);
  if (!url) throw new UserError('SG_MIGRATIONS_NO_DATABASE', `${loaded.path}: data.database.url is empty for ${db.kind}`, 'set data.database.url (e.g. ${{ env.DATABASE_URL }}) and export the variable');
  return { kind: db.kind, url };
}

function targetFromUrl(url: string, base: string): DbTarget {
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', url };
  if (/^(mysql|mariadb):\/\//.test(url)) return { kind: 'mysql', url: url.replace(/^mariadb:/, 'mysql:') };
  return { kind: 'sqlite', path: path.resolve(base, url.replace(/^(sqlite|file):(\/\/)?/, '')) };
}

/**
 * `${{ env.NAME }}` in a database URL, outside a run (the CLI). Inside a run the engine has
 * already expanded expressions. Only env references: anything else is left as written.
 */
function expandEnv(s: string, env: Readonly<Record<string, string | undefined>>): string {
  return s.replace(/\$\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, n: string) => env[n] ?? '');
}
