import { cp, mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CheckRecord, EvidenceLog } from '../actions/action.js';
import { judgeProcess } from '../engine/expect.js';
import { runProcess } from '../engine/process/run-process.js';
import type { Runbook, RunbookStep } from '../runbook/schema.js';
import { redactUrl } from '../core/redact-url.js';
import { adapterFor } from './adapters.js';
import { checkManifest } from './check-manifest.js';
import { stampOf, type DataContext } from './data-context.js';
import type { DatabaseAdapter, LiveFingerprint, ScratchDatabase, SchemaSnapshot } from './database-adapter.js';
import { dataError } from './errors.js';
import { EVIDENCE, isBackupVerified } from './evidence.js';
import { FILES_DIR } from './files-source.js';
import { backupsRoot, listBackups, manifestDigestOrNull, readManifest, readMetadata } from './layout.js';
import { requireTrustedMetadata } from './metadata-digest.js';
import type { BackupRef } from './types.js';

/** How long the migration and each smoke command may run. Default: 30 minutes. */
const COMMAND_TIMEOUT_MS = 30 * 60_000;

export interface RehearseOptions {
  readonly ctx: DataContext;
  readonly runbook: Runbook;
  readonly environment: string;
  readonly evidence: EvidenceLog;
  /** Ids of `run:` steps in the runbook to run against the restored copy. Default: none. */
  readonly smoke?: readonly string[];
  /** Leave the scratch copy for inspection. Default: false. */
  readonly keepScratch?: boolean;
  /**
   * Pass even when the migration left the scratch schema unchanged (nothing pending, or a
   * data-only migration). Default: false — an unchanged schema usually means the command
   * migrated some other database.
   */
  readonly allowUnchangedSchema?: boolean;
}

export interface RehearsalReport {
  readonly backupId: string;
  readonly scratch: string;
  readonly passed: boolean;
  readonly migrationMs: number | null;
  readonly schemaBefore: SchemaSnapshot | null;
  readonly schemaAfter: SchemaSnapshot | null;
  readonly checks: readonly CheckRecord[];
}

/**
 * The staging rehearsal without a staging server: restore the newest verified backup into
 * scratch, run `migrations.apply` against it (the copy handed over by environment variable:
 * SHIPGATE_REHEARSAL_DATABASE_PATH / DATABASE_URL, SHIPGATE_REHEARSAL_STORAGE_DIR), run the named
 * smoke steps with the same environment, and record the schema before and after and the
 * migration's duration. Records `rehearsal-finished`.
 */
export async function rehearse(opts: RehearseOptions): Promise<RehearsalReport> {
  const { ctx } = opts;
  const smokeSteps = (opts.smoke ?? []).map((id) => findRunStep(opts.runbook, id));
  const apply = opts.runbook.migrations?.apply;
  if (!apply) throw dataError('SG_DATA_NO_MIGRATION_COMMAND', 'rehearse needs migrations.apply in the runbook (the command that migrates the restored copy)', 'add `migrations: { apply: "…" }` to the runbook');
  const backup = await newestVerified(ctx, opts.environment, opts.evidence);
  const manifest = await readManifest(backup.dir);
  const hashes = await checkManifest('manifest-checksums', join(backup.dir, 'data'), manifest, ctx.signal);
  if (!hashes.passed) throw dataError('SG_DATA_CHECKSUM_MISMATCH', `backup ${backup.id} changed since it was verified: ${hashes.measured}`, `shipgate backup verify ${backup.id} --env ${opts.environment}`);
  const meta = await readMetadata(backup.dir);
  await requireTrustedMetadata(opts.evidence, backup.id, opts.environment, meta, join(backup.dir, 'metadata.json'), 'rehearsed');
  // The live database is fingerprinted before and after: a migration command that ignores the
  // variables below (a hard-coded `sqlite3 app.db`, an alembic.ini URL) migrates PRODUCTION.
  const liveAdapter = ctx.config.database ? await adapterFor(ctx.config.database.kind) : undefined;
  const liveBefore = liveAdapter ? await fingerprintLive(liveAdapter, ctx) : undefined;
  const scratchDir = resolve(ctx.baseDir, ctx.config.scratch, `restore-${stampOf(ctx.clock())}`);
  const checks: CheckRecord[] = [hashes];
  let scratchDb: ScratchDatabase | undefined;
  let before: SchemaSnapshot | null = null;
  let after: SchemaSnapshot | null = null;
  let migrationMs: number | null = null;
  try {
    await mkdir(join(scratchDir, 'db'), { recursive: true });
    const adapter = meta.database ? await adapterFor(meta.database.kind) : undefined;
    if (adapter && meta.database) {
      scratchDb = await adapter.restoreToScratch(join(backup.dir, 'data', meta.database.dumpPath), meta.database, join(scratchDir, 'db'), ctx);
      before = await adapter.describeSchema(scratchDb, ctx);
    }
    if (manifest.entries.some((e) => e.path.startsWith(`${FILES_DIR}/`))) await cp(join(backup.dir, 'data', FILES_DIR), join(scratchDir, FILES_DIR), { recursive: true, verbatimSymlinks: true });
    const env: Record<string, string> = {
      ...(Object.fromEntries(Object.entries(ctx.env).filter((e): e is [string, string] => e[1] !== undefined)) as Record<string, string>),
      ...(scratchDb?.env ?? {}),
      SHIPGATE_REHEARSAL: '1',
      SHIPGATE_REHEARSAL_DIR: scratchDir,
      SHIPGATE_REHEARSAL_STORAGE_DIR: join(scratchDir, FILES_DIR),
      SHIPGATE_REHEARSAL_BACKUP_ID: backup.id,
    };
    const cwd = resolve(ctx.baseDir, opts.runbook.migrations?.cwd ?? '.');
    const migration = await runCommand('migration', apply, cwd, env, null, ctx, scratchDir);
    migrationMs = migration.ms ?? null;
    checks.push(migration);
    if (adapter && scratchDb) after = await adapter.describeSchema(scratchDb, ctx);
    if (migration.passed) {
      for (const step of smokeSteps) {
        checks.push(await runCommand(`smoke:${step.id}`, step.run!, resolve(ctx.baseDir, step.cwd ?? '.'), { ...env, ...(step.env ?? {}) }, step.expect ?? null, ctx, scratchDir));
      }
    }
  } finally {
    if (!opts.keepScratch) {
      await scratchDb?.drop();
      await rm(scratchDir, { recursive: true, force: true });
    } else ctx.log(`kept scratch ${scratchDir}${scratchDb ? ` and ${scratchDb.location}` : ''}`);
  }
  if (liveAdapter && liveBefore) {
    const live = checkLiveUntouched(liveBefore, await fingerprintLive(liveAdapter, ctx), scratchDb !== undefined);
    if (!live.passed) ctx.log(`✗ ${live.measured}`);
    checks.push(live);
  }
  const migrated = checks.find((c) => c.name === 'migration');
  if (migrated?.passed && before && after) checks.push(checkSchemaChanged(before, after, opts.allowUnchangedSchema ?? false));
  const passed = checks.every((c) => c.passed);
  const report: RehearsalReport = { backupId: backup.id, scratch: scratchDb?.location ?? scratchDir, passed, migrationMs, schemaBefore: before, schemaAfter: after, checks };
  await opts.evidence.record(EVIDENCE.rehearsed, { ...report, environment: opts.environment, schemaChanged: before?.digest !== after?.digest });
  return report;
}

async function fingerprintLive(adapter: DatabaseAdapter, ctx: DataContext): Promise<LiveFingerprint> {
  try {
    return await adapter.fingerprintLive(ctx);
  } catch (e) {
    // A missing live file is a state too: a command like `sqlite3 app.db …` would create it.
    if ((e as { code?: string }).code === 'SG_DATA_DB_MISSING') {
      const db = ctx.config.database;
      const location = db?.path ? resolve(ctx.baseDir, db.path) : redactUrl(ctx.databaseUrl ?? db?.url ?? '(data.database.url)');
      return { location, schema: 'absent', content: 'absent' };
    }
    throw e;
  }
}

function checkLiveUntouched(before: LiveFingerprint, after: LiveFingerprint, scratchHandedOver: boolean): CheckRecord {
  const schemaChanged = before.schema !== after.schema;
  const contentChanged = !schemaChanged && before.content !== after.content;
  const vars = scratchHandedOver ? '$SHIPGATE_REHEARSAL_DATABASE_PATH / $DATABASE_URL / $SHIPGATE_REHEARSAL_DATABASE_URL' : 'the rehearsal variables';
  const measured = schemaChanged
    ? `the rehearsal changed the LIVE database at ${before.location} (its schema changed); the migration command does not use ${vars} — production may now be migrated: check it before anything else`
    : contentChanged
      ? `the LIVE database at ${before.location} was written during the rehearsal (schema unchanged, content changed): either the migration/smoke commands wrote to it (they must use ${vars}), or the app did — rehearse again with the app idle to tell which`
      : 'live database unchanged';
  return {
    name: 'live-database-untouched',
    passed: !schemaChanged && !contentChanged,
    expected: `the live database (${before.location}) unchanged: the rehearsal works on the scratch copy only`,
    measured,
    ms: 0,
    details: { location: before.location, before, after },
  };
}

/** Rehearse runs from the CLI and as a runbook step, and the switch is spelt differently in each. */
const ALLOW_UNCHANGED_HINT = 'allow it: `shipgate rehearse --allow-unchanged-schema` on the command line, or `with: { allow-unchanged-schema: true }` on a `uses: rehearse` step';

function checkSchemaChanged(before: SchemaSnapshot, after: SchemaSnapshot, allowed: boolean): CheckRecord {
  const changed = before.digest !== after.digest;
  return {
    name: 'scratch-schema-changed',
    passed: changed || allowed,
    expected: allowed ? 'any schema (allow-unchanged-schema)' : 'the migration changes the scratch copy\'s schema',
    measured: changed
      ? `schema changed (${before.tables.length} → ${after.tables.length} tables)`
      : `the scratch schema did not change: either no migration is pending, or the command migrated another database instead of $SHIPGATE_REHEARSAL_DATABASE_PATH / $DATABASE_URL${allowed ? ' (allowed)' : ` — if nothing is pending, ${ALLOW_UNCHANGED_HINT}`}`,
    ms: 0,
    details: { before: before.digest, after: after.digest },
  };
}

async function newestVerified(ctx: DataContext, environment: string, evidence: EvidenceLog): Promise<BackupRef> {
  for (const b of await listBackups(backupsRoot(ctx.baseDir, ctx.config.backups), environment)) {
    const digest = await manifestDigestOrNull(b.dir);
    if (digest !== null && (await isBackupVerified(evidence, b.id, digest))) return b;
  }
  throw dataError('SG_DATA_NO_VERIFIED_BACKUP', `no verified backup for environment ${environment}; a rehearsal restores only verified backups`, `shipgate backup create --env ${environment} && shipgate backup verify <id> --env ${environment}`);
}

function findRunStep(runbook: Runbook, id: string): RunbookStep {
  const steps = [...runbook.phases.flatMap((p) => p.steps), ...(runbook.rollback?.steps ?? [])];
  const step = steps.find((s) => s.id === id);
  if (!step) throw dataError('SG_DATA_SMOKE_UNKNOWN', `smoke step ${id} is not a step of the runbook`, `list ids of run: steps in with.smoke (known: ${steps.map((s) => s.id).join(', ')})`);
  if (!step.run) throw dataError('SG_DATA_SMOKE_NOT_RUN', `smoke step ${id} is not a run: step`, 'name steps that have run: in with.smoke');
  if (step.run.includes('${{')) throw dataError('SG_DATA_SMOKE_EXPRESSION', `smoke step ${id} uses \${{ }} expressions, which a rehearsal does not expand`, 'read the values from the environment variables the rehearsal sets instead');
  return step;
}

async function runCommand(name: string, script: string, cwd: string, env: Record<string, string>, expect: RunbookStep['expect'] | null, ctx: DataContext, scratchDir: string): Promise<CheckRecord> {
  const end = await runProcess({ shell: 'bash', script, cwd, env, timeoutMs: COMMAND_TIMEOUT_MS, signal: ctx.signal, scriptFile: join(scratchDir, `${name.replace(/[^A-Za-z0-9_-]/g, '_')}.sh`), recordStart: () => {}, onSpawn: () => {}, onLine: (_s, line) => ctx.log(`${name}: ${line}`) });
  const verdict = judgeProcess(end, expect ?? null, COMMAND_TIMEOUT_MS);
  return { name, passed: verdict.passed, expected: 'exit 0 and expect: satisfied', measured: verdict.summary, ms: Math.round(end.ms), details: { command: script, cwd, stdoutTail: end.stdout.slice(-2000), stderrTail: end.stderr.slice(-2000) } };
}
