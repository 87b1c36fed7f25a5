import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CheckRecord, EvidenceLog } from '../actions/action.js';
import { adapterFor } from './adapters.js';
import { checkManifest } from './check-manifest.js';
import { stampOf, type DataContext } from './data-context.js';
import { EVIDENCE, findCreated, type BackupVerificationData } from './evidence.js';
import { FILES_DIR } from './files-source.js';
import { readManifest, readMetadata, writeJsonAtomic } from './layout.js';
import { digestManifest } from './manifest.js';
import { checkMetadataDigest } from './metadata-digest.js';
import { timed } from './timed.js';
import type { BackupManifest, BackupMetadata, BackupRef, RowCounts, VerificationReport } from './types.js';

export interface VerifyBackupOptions {
  readonly ctx: DataContext;
  readonly backup: BackupRef;
  readonly evidence: EvidenceLog;
  /** Leave the scratch restore in place for inspection. Default: false. */
  readonly keepScratch?: boolean;
  /** Accept a database backup with no tables (otherwise: "nothing to verify", failed). Default: false. */
  readonly allowEmptyDatabase?: boolean;
}

/**
 * Proves a backup (pgBackRest `verify` + a test restore):
 *  1. manifest digest equals the one recorded at creation; every entry re-hashed, extras named;
 *     file-based data (storage files, a SQLite file) is copied into scratch in the same read;
 *  2. restored into scratch (`<scratch>/restore-<stamp>-…`, or a scratch database);
 *  3. the restored copy checked (integrity check / row counts; files re-hashed after restore);
 *  4. scratch removed unless keepScratch.
 * Records `backup-verified` or `backup-verification-failed` with every check, and writes
 * `verification.json` beside the manifest for people. The ledger is authoritative.
 */
export async function verifyBackup(opts: VerifyBackupOptions): Promise<VerificationReport> {
  const { ctx, backup } = opts;
  const checks: CheckRecord[] = [];
  const manifest = await readManifest(backup.dir);
  const meta = await readMetadata(backup.dir);
  const digest = digestManifest(manifest);
  const created = await findCreated(opts.evidence, backup.id);
  checks.push({
    name: 'manifest-digest',
    passed: created?.manifestDigest === digest,
    expected: created ? created.manifestDigest : 'a backup-created entry in the ledger',
    measured: created ? digest : 'no backup-created entry for this id',
    ms: 0,
    details: { file: join(backup.dir, 'manifest.json') },
  });
  checks.push(await checkMetadataDigest(opts.evidence, backup.id, meta, join(backup.dir, 'metadata.json')));
  const dataDir = join(backup.dir, 'data');
  const scratchDir = resolve(ctx.baseDir, ctx.config.scratch, `restore-${stampOf(ctx.clock())}-${backup.id.slice(-6)}`);
  await mkdir(scratchDir, { recursive: true });
  try {
    const dbPrefix = meta.database?.kind === 'sqlite' ? `${meta.database.dumpPath}/` : undefined;
    const hashes = await checkManifest('manifest-checksums', dataDir, manifest, ctx.signal, {
      to: scratchDir,
      when: (p) => p.startsWith(`${FILES_DIR}/`) || (dbPrefix !== undefined && p.startsWith(dbPrefix)),
    });
    checks.push(hashes);
    if (hashes.passed) checks.push(...(await restoreAndCheck(opts, manifest, meta, dataDir, scratchDir)));
    else checks.push({ name: 'test-restore', passed: false, expected: 'restore of an intact backup', measured: 'not attempted: manifest-checksums failed', ms: 0 });
  } finally {
    if (!opts.keepScratch) await rm(scratchDir, { recursive: true, force: true });
    else ctx.log(`kept scratch ${scratchDir}`);
  }

  const passed = checks.every((c) => c.passed);
  const data: BackupVerificationData = { id: backup.id, environment: backup.environment, path: backup.dir, manifestDigest: digest, passed, checks };
  await writeJsonAtomic(join(backup.dir, 'verification.json'), { ...data, at: ctx.clock().toISOString(), note: 'for people; the ledger is authoritative' });
  await opts.evidence.record(passed ? EVIDENCE.verified : EVIDENCE.verificationFailed, data);
  return { backupId: backup.id, manifestDigest: digest, passed, checks };
}

async function restoreAndCheck(opts: VerifyBackupOptions, manifest: BackupManifest, meta: BackupMetadata, dataDir: string, scratchDir: string): Promise<CheckRecord[]> {
  const { ctx } = opts;
  const checks: CheckRecord[] = [];
  if (meta.database) {
    const adapter = await adapterFor(meta.database.kind);
    // A SQLite file was already copied into scratch while it was re-hashed: restore from there.
    const source = meta.database.kind === 'sqlite' ? join(scratchDir, meta.database.dumpPath) : join(dataDir, meta.database.dumpPath);
    const dbScratch = join(scratchDir, meta.database.dumpPath);
    await mkdir(dbScratch, { recursive: true });
    let scratch;
    try {
      const r = await timed(() => adapter.restoreToScratch(source, meta.database!, dbScratch, ctx));
      scratch = r.value;
      checks.push({ name: 'database-restore', passed: true, expected: 'restore succeeds', measured: `restored to ${scratch.location}`, ms: r.ms });
    } catch (e) {
      checks.push({ name: 'database-restore', passed: false, expected: 'restore succeeds', measured: (e as Error).message, ms: 0 });
    }
    if (scratch) {
      try {
        // A copy too damaged to even be read (e.g. "database disk image is malformed") is a
        // failed check, recorded like any other — not an exception that skips the ledger.
        checks.push(...(await adapter.checkRestored(scratch, meta.database, ctx).catch((e: unknown) => [{ name: 'restored-copy-readable', passed: false, expected: 'the restored copy can be read', measured: (e as Error).message, ms: 0 }])));
        checks.push(checkNotEmpty(meta.database.rowCounts, opts.allowEmptyDatabase ?? false));
      } finally {
        if (!opts.keepScratch) await scratch.drop();
        else ctx.log(`kept scratch database ${scratch.location}`);
      }
    }
  }
  const files = manifest.entries.filter((e) => e.path.startsWith(`${FILES_DIR}/`));
  if (files.length) {
    checks.push({ name: 'files-restore', passed: true, expected: `${files.length} entries copied`, measured: `copied to ${join(scratchDir, FILES_DIR)} while re-hashing`, ms: 0 });
    checks.push(await checkManifest('files-rehash-after-restore', scratchDir, { version: 1, entries: files }, ctx.signal).then((c) => withoutDbCopy(c, meta)));
  }
  return checks;
}

/**
 * A database with no tables proves nothing: its restore and row counts trivially pass. The table
 * list is the one recorded at backup time, which `row-counts` just compared with the restored copy.
 */
function checkNotEmpty(rowCounts: RowCounts, allowed: boolean): CheckRecord {
  const tables = Object.keys(rowCounts).length;
  return {
    name: 'database-has-tables',
    passed: tables > 0 || allowed,
    expected: allowed ? 'any number of tables (allow-empty-database)' : 'at least one table',
    measured: tables > 0 ? `${tables} table(s)` : `0 tables: nothing to verify${allowed ? ' (allowed)' : ' — check data.database points at the app\'s database, or verify with --allow-empty-database'}`,
    ms: 0,
  };
}

/** The scratch folder also holds the database copy; it is not an "extra" storage file. */
function withoutDbCopy(c: CheckRecord, meta: BackupMetadata): CheckRecord {
  if (!meta.database) return c;
  const d = c.details as { problems: Array<{ path: string; problem: string }> };
  const problems = d.problems.filter((p) => !(p.problem === 'extra-file' && p.path.startsWith(`${meta.database!.dumpPath}/`)));
  return problems.length === d.problems.length ? c : { ...c, passed: problems.length === 0, measured: problems.length === 0 ? `${c.expected} match` : c.measured, details: { ...d, problems } };
}
