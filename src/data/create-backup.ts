import { execa } from 'execa';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvidenceLog } from '../actions/action.js';
import { isUserError } from '../core/errors.js';
import { adapterFor } from './adapters.js';
import type { DataContext } from './data-context.js';
import { dataError } from './errors.js';
import { EVIDENCE, type BackupCreatedData } from './evidence.js';
import { copyStorage } from './files-source.js';
import { backupsRoot, newBackupId, PARTIAL_SUFFIX, writeJsonAtomic } from './layout.js';
import { buildManifest, digestManifest } from './manifest.js';
import { digestMetadata } from './metadata-digest.js';
import type { BackupMetadata, DumpInfo } from './types.js';

export interface CreateBackupOptions {
  readonly ctx: DataContext;
  readonly environment: string;
  readonly evidence: EvidenceLog;
  /** Why: `manual`, `safety-before-restore:<id>`, a step id. Default: manual. */
  readonly reason?: string;
  readonly runbookDigest?: string | null;
  /**
   * Accept storage folders with no files (and so a backup with nothing in it). Default: false.
   * The safety backup before a restore sets it: restoring INTO an emptied folder is the point.
   */
  readonly allowEmptyStorage?: boolean;
  /**
   * Accept a storage folder that does not exist (it contributes nothing). Default: false. The
   * safety backup sets it: a deleted folder is what a restore may be there to bring back, and the
   * restore recreates it.
   */
  readonly allowMissingStorage?: boolean;
}

export interface CreatedBackup extends BackupCreatedData {
  readonly metadata: BackupMetadata;
}

/**
 * Takes a backup: database dump + storage files into `<id>.partial/`, then the manifest and
 * metadata, then one rename to `<id>/`. Any failure (a locked database, a full disk, a missing
 * tool, Ctrl-C) removes the partial folder, so nothing half-written looks like a backup.
 * Records `backup-created` in the ledger.
 */
export async function createBackup(opts: CreateBackupOptions): Promise<CreatedBackup> {
  const { ctx, environment } = opts;
  const now = ctx.clock();
  const id = newBackupId(now);
  const finalDir = join(backupsRoot(ctx.baseDir, ctx.config.backups), environment, id);
  const partial = `${finalDir}${PARTIAL_SUFFIX}`;
  const dataDir = join(partial, 'data');
  let metadata: BackupMetadata;
  let manifestStats: { digest: BackupCreatedData['manifestDigest']; size: number; files: number };
  try {
    await mkdir(dataDir, { recursive: true });
    let database: DumpInfo | null = null;
    const db = ctx.config.database;
    if (db) {
      const dumpDir = join(dataDir, 'db');
      await mkdir(dumpDir);
      ctx.log(`dumping ${db.kind} database`);
      const info = await (await adapterFor(db.kind)).dump(dumpDir, ctx);
      database = { ...info, dumpPath: 'db' };
    }
    if (ctx.config.storage.length) {
      const copied = await copyStorage(dataDir, ctx, { allowEmpty: opts.allowEmptyStorage ?? false, allowMissing: opts.allowMissingStorage ?? false });
      ctx.log(`copied ${copied.files} storage files (${copied.skipped} excluded)`);
    }
    // Paths in the manifest are relative to data/.
    const manifest = await buildManifest(dataDir, ctx.signal);
    if (!manifest.entries.length && !opts.allowEmptyStorage) throw dataError('SG_DATA_NOTHING_TO_BACK_UP', 'data: names no database and no storage folder with files; nothing was backed up', 'add data.database and/or data.storage to the runbook');
    metadata = {
      version: 1,
      id,
      environment,
      createdAt: now.toISOString(),
      database,
      storage: ctx.config.storage,
      runbookDigest: opts.runbookDigest ?? null,
      gitCommit: await gitCommit(ctx),
      reason: opts.reason ?? 'manual',
    };
    await writeJsonAtomic(join(partial, 'manifest.json'), manifest);
    await writeJsonAtomic(join(partial, 'metadata.json'), metadata);
    manifestStats = { digest: digestManifest(manifest), size: manifest.entries.reduce((a, e) => a + e.size, 0), files: manifest.entries.length };
    ctx.signal.throwIfAborted();
    await rename(partial, finalDir);
  } catch (e) {
    await rm(partial, { recursive: true, force: true });
    throw explainFailure(e, partial);
  }
  const data: BackupCreatedData = {
    id,
    environment,
    path: finalDir,
    createdAt: metadata.createdAt,
    totalSize: manifestStats.size,
    files: manifestStats.files,
    manifestDigest: manifestStats.digest,
    metadataDigest: digestMetadata(metadata),
    reason: metadata.reason,
    database: metadata.database?.kind ?? null,
  };
  await opts.evidence.record(EVIDENCE.created, data);
  return { ...data, metadata };
}

function explainFailure(e: unknown, partial: string): Error {
  if (isUserError(e)) return e;
  const code = (e as { code?: string }).code;
  if (code === 'ENOSPC' || code === 'SQLITE_FULL' || code === 'EFBIG') {
    return dataError('SG_DATA_DISK_FULL', `the backup ran out of space while writing ${partial} (${code}); the partial backup was removed`, 'free space on the backups disk (data.backups) and run `shipgate backup create` again');
  }
  if ((e as Error).name === 'AbortError') return dataError('SG_DATA_ABORTED', 'the backup was interrupted; the partial backup was removed', 'run `shipgate backup create` again');
  return dataError('SG_DATA_BACKUP_FAILED', `the backup failed while writing ${partial}: ${(e as Error).message}; the partial backup was removed`, 'fix the cause above and run `shipgate backup create` again');
}

async function gitCommit(ctx: DataContext): Promise<string | null> {
  const r = await execa('git', ['rev-parse', 'HEAD'], { cwd: ctx.baseDir, reject: false, env: ctx.env as Record<string, string>, extendEnv: false });
  return r.exitCode === 0 ? String(r.stdout).trim() : null;
}
