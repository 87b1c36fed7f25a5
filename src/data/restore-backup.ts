import { lstat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { EvidenceLog } from '../actions/action.js';
import { ExitCode } from '../core/exit-codes.js';
import { UserError } from '../core/errors.js';
import { adapterFor } from './adapters.js';
import { checkManifest } from './check-manifest.js';
import { createBackup, type CreatedBackup } from './create-backup.js';
import type { DataContext } from './data-context.js';
import { dataError } from './errors.js';
import { EVIDENCE, isBackupVerified } from './evidence.js';
import { buildExcluder, storagePrefix } from './files-source.js';
import { backupsRoot, findBackup, readManifest, readMetadata } from './layout.js';
import { digestManifest, toPosix } from './manifest.js';
import { checkRestorePaths } from './safe-paths.js';
import { checkRestoreSpace } from './restore-space.js';
import type { PreparedSwap } from './database-adapter.js';
import { prepareFolder } from './swap-folder.js';
import { requireTrustedMetadata } from './metadata-digest.js';
import type { BackupMetadata } from './types.js';

export interface RestoreBackupOptions {
  readonly ctx: DataContext;
  readonly environment: string;
  readonly backupId: string;
  readonly evidence: EvidenceLog;
  readonly runbookDigest?: string | null;
}

export interface RestoreResult {
  readonly backupId: string;
  readonly safetyBackup: CreatedBackup;
  readonly database: string | null;
  readonly folders: readonly string[];
}

/**
 * Restores a verified backup over the live data (rollback). In this order, stopping at the
 * first failure:
 *   1. the ledger must say the backup (id + manifest digest) is verified;
 *   2. every manifest path is checked against `protect` and the storage folders (no `..`,
 *      absolute paths, or symlinks into protected paths) — before anything is touched;
 *   3. checksums are re-checked right now;
 *   4. the live database must be present and not locked;
 *   5. a safety backup of the current state is taken (a normal, recorded backup);
 *   6. the database and each storage folder are restored beside the live ones, all of them before
 *      any is swapped in; then they are swapped in, the database first.
 */
export async function restoreBackup(opts: RestoreBackupOptions): Promise<RestoreResult> {
  const { ctx, environment } = opts;
  const { ref, manifest, meta, digest, storage, adapter } = await checkRestorable(opts);
  const dbKind = meta.database?.kind;
  await adapter?.preflightRestore(ctx);

  ctx.log('taking a safety backup of the current state');
  const safetyBackup = await createBackup({ ctx, environment, evidence: opts.evidence, reason: `safety-before-restore:${ref.id}`, runbookDigest: opts.runbookDigest ?? null, allowEmptyStorage: true, allowMissingStorage: true });

  // Every part is restored beside what it replaces before any is swapped in: a failure while
  // preparing (a damaged copy, a full disk, a dump the server refuses) leaves everything live as it was.
  const parts: Array<{ what: string; prepared: PreparedSwap }> = [];
  try {
    if (adapter && meta.database) {
      ctx.log(`restoring the ${meta.database.kind} database beside the live one`);
      parts.push({ what: `the ${meta.database.kind} database`, prepared: await adapter.prepareRestore(join(ref.dir, 'data', meta.database.dumpPath), meta.database, ctx) });
    }
    const isExcluded = buildExcluder(ctx);
    for (const s of storage) {
      const prefix = storagePrefix(ctx.baseDir, s);
      const entries = manifest.entries.filter((e) => e.path.startsWith(prefix)).map((e) => ({ ...e, path: e.path.slice(prefix.length) }));
      ctx.log(`restoring ${entries.length} entries beside ${s}`);
      const prepared = await prepareFolder({
        liveRoot: resolve(ctx.baseDir, s),
        sourceRoot: join(ref.dir, 'data', prefix),
        entries,
        isExcluded,
        ctx,
        verifyNew: async (fresh) => {
          const c = await checkManifest('restored-files', fresh, { version: 1, entries }, ctx.signal);
          if (!c.passed) throw dataError('SG_DATA_RESTORE_MISMATCH', `restored copy of ${s} does not match the manifest: ${c.measured}; the live folder was not touched`, 'check the disk and run the restore again');
        },
      });
      parts.push({ what: s, prepared });
    }
  } catch (e) {
    for (const p of parts) await p.prepared.discard().catch(() => {});
    throw e;
  }
  const done: string[] = [];
  for (const [i, p] of parts.entries()) {
    try {
      ctx.log(`swapping in ${p.what}`);
      await p.prepared.swap();
      done.push(p.what);
    } catch (e) {
      for (const rest of parts.slice(i)) await rest.prepared.discard().catch(() => {});
      if (!done.length) throw e;
      // Some parts are already in place: say which, and where the way back is.
      const cause = e as Error & { code?: string; hint?: string };
      throw dataError(
        cause.code === 'SG_DATA_RESTORE_STUCK' ? cause.code : 'SG_DATA_RESTORE_PARTIAL',
        `restore of backup ${ref.id} stopped part-way: ${done.join(', ')} restored, the rest not (${cause.message})`,
        cause.code === 'SG_DATA_RESTORE_STUCK' && cause.hint
          ? cause.hint
          : `run the restore again, or go back to the state before it with the safety backup: shipgate backup restore ${safetyBackup.id} --env ${environment} --yes`,
        { safetyBackupId: safetyBackup.id, restored: done },
      );
    }
  }
  await opts.evidence.record(EVIDENCE.restored, { id: ref.id, environment, manifestDigest: digest, safetyBackupId: safetyBackup.id, database: dbKind ?? null, folders: storage });
  return { backupId: ref.id, safetyBackup, database: dbKind ?? null, folders: storage };
}

/**
 * Steps 1–3 of a restore, which change nothing: the backup is found, verified in the ledger, its
 * metadata trusted, its paths safe for the configuration as it is now, its checksums still match,
 * and the live target is there (file, URL, tools; for Postgres, a pg_dump the server accepts,
 * which takes one read-only connection). `restore`
 * with `check-only: true` runs exactly this, so a rollback can learn that its restore would be
 * refused before it stops the app.
 */
export async function checkRestorable(opts: RestoreBackupOptions) {
  const { ctx, environment } = opts;
  const ref = await findBackup(backupsRoot(ctx.baseDir, ctx.config.backups), environment, opts.backupId);
  const manifest = await readManifest(ref.dir);
  const meta = await readMetadata(ref.dir);
  const digest = digestManifest(manifest);
  if (!(await isBackupVerified(opts.evidence, ref.id, digest))) {
    throw new UserError('SG_DATA_NOT_VERIFIED', `backup ${ref.id} is not verified (the ledger has no passing verification for manifest ${digest.slice(0, 12)}); nothing was restored`, `shipgate backup verify ${ref.id} --env ${environment}`, ExitCode.Failed);
  }
  await requireTrustedMetadata(opts.evidence, ref.id, environment, meta, join(ref.dir, 'metadata.json'), 'restored');
  const storage = checkAgainstConfig(ref.id, meta, ctx);
  const violations = checkRestorePaths(manifest, ctx.config, storage, ctx.baseDir);
  for (const s of storage) {
    const st = await lstat(resolve(ctx.baseDir, s)).catch(() => undefined);
    if (st?.isSymbolicLink()) violations.push({ path: s, reason: 'storage-is-symlink', detail: `live storage folder ${s} is a symlink; restore will not swap through it` });
    // A missing folder is recreated; anything else in its place would be swapped away.
    else if (st && !st.isDirectory()) violations.push({ path: s, reason: 'storage-not-a-folder', detail: `${s} is not a folder; restore will not put a folder in its place` });
  }
  if (violations.length) {
    throw dataError('SG_DATA_UNSAFE_BACKUP', `backup ${ref.id} would write where it must not; nothing was restored: ${violations.map((v) => `${v.path}: ${v.detail}`).join('; ')}`, 'inspect the backup (it may have been tampered with) or fix data.storage/protect; then restore another verified backup', { violations });
  }
  const hashes = await checkManifest('manifest-checksums', join(ref.dir, 'data'), manifest, ctx.signal);
  if (!hashes.passed) {
    throw dataError('SG_DATA_CHECKSUM_MISMATCH', `backup ${ref.id} changed since it was verified; nothing was restored: ${hashes.measured}`, `shipgate backup verify ${ref.id} --env ${environment}`, { check: hashes });
  }
  const dbKind = meta.database?.kind;
  const adapter = dbKind ? await adapterFor(dbKind) : undefined;
  if (dbKind && ctx.config.database?.kind !== dbKind) {
    throw dataError('SG_DATA_KIND_MISMATCH', `backup ${ref.id} holds a ${dbKind} database but data.database.kind is ${ctx.config.database?.kind ?? 'unset'}`, 'restore a backup of this database');
  }
  const sqlitePath = dbKind === 'sqlite' && ctx.config.database?.path ? resolve(ctx.baseDir, ctx.config.database.path) : undefined;
  await checkRestoreSpace(ctx, manifest, storage, sqlitePath);
  if (adapter && meta.database) await adapter.checkRestoreTarget(ctx, meta.database, join(ref.dir, 'data', meta.database.dumpPath));
  return { ref, manifest, meta, digest, storage, adapter };
}

/**
 * What the backup would restore must be what the runbook configures NOW: every storage folder
 * of the backup must still be in data.storage (restore swaps folders whole, so a folder dropped
 * from the config would be emptied), and a configured database must be in the backup (else the
 * "restore" would silently leave the database as it is). Returns the folders to restore.
 */
function checkAgainstConfig(id: string, meta: BackupMetadata, ctx: DataContext): string[] {
  const norm = (s: string): string => toPosix(relative(ctx.baseDir, resolve(ctx.baseDir, s)));
  const configured = new Set(ctx.config.storage.map(norm));
  const foreign = meta.storage.filter((s) => !configured.has(norm(s)));
  if (foreign.length) {
    throw dataError('SG_DATA_STORAGE_NOT_CONFIGURED', `backup ${id} holds storage folder(s) ${foreign.join(', ')} that are not in data.storage (${ctx.config.storage.join(', ') || 'none'}); restore only writes configured folders; nothing was restored`, 'add the folder to data.storage if it really should be restored, or restore another backup');
  }
  if (ctx.config.database && !meta.database) {
    throw dataError('SG_DATA_BACKUP_WITHOUT_DATABASE', `backup ${id} holds no database but data.database is configured (${ctx.config.database.kind}); restoring it would leave the database as it is; nothing was restored`, 'restore a backup that includes the database');
  }
  return meta.storage.map((s) => s);
}
