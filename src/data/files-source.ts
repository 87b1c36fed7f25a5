import { copyFile, lstat, mkdir, readlink, symlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, relative, resolve } from 'node:path';
import picomatch from 'picomatch';
import type { DataContext } from './data-context.js';
import { dataError } from './errors.js';
import { toPosix, walkTree } from './manifest.js';

/** Folder inside a backup's `data/` that holds the storage files, each under its runbook-relative path. */
export const FILES_DIR = 'files';

/** Where a storage folder's files sit in a backup's manifest: `files/<folder, relative to the runbook>/`. */
export function storagePrefix(baseDir: string, storage: string): string {
  return `${FILES_DIR}/${toPosix(relative(baseDir, resolve(baseDir, storage)))}/`;
}

/**
 * Copies every file of the `storage:` folders into `<dataDir>/files/<storage path>/…`, leaving out
 * what `exclude` globs match (relative to the runbook, picomatch with dotfiles) and, always, the
 * backups and scratch folders. Symlinks are recreated as symlinks with the same text (not followed).
 * Returns how many entries were copied. A folder that contributes no file fails
 * (SG_DATA_STORAGE_EMPTY) unless `opts.allowEmpty` (default false); a missing one fails
 * (SG_DATA_STORAGE_MISSING) unless `opts.allowMissing` (default false).
 */
export async function copyStorage(dataDir: string, ctx: DataContext, opts: { allowEmpty?: boolean; allowMissing?: boolean } = {}): Promise<{ files: number; skipped: number }> {
  const isExcluded = buildExcluder(ctx);
  let files = 0;
  let skipped = 0;
  for (const rel of ctx.config.storage) {
    const src = storageRoot(ctx.baseDir, rel);
    const st = await lstat(src).catch(() => undefined);
    if (!st && opts.allowMissing) continue; // nothing there to keep (see createBackup allowMissingStorage)
    if (!st?.isDirectory()) {
      throw dataError('SG_DATA_STORAGE_MISSING', `storage folder ${rel} (${src}) does not exist or is not a folder`, 'fix data.storage in the runbook');
    }
    const filesBefore = files;
    const skippedBefore = skipped;
    for await (const abs of walkTree(src)) {
      ctx.signal.throwIfAborted();
      const fromBase = toPosix(relative(ctx.baseDir, abs));
      if (isExcluded(fromBase)) {
        skipped++;
        continue;
      }
      const dest = join(dataDir, FILES_DIR, fromBase);
      await mkdir(dirname(dest), { recursive: true });
      const est = await lstat(abs);
      try {
        if (est.isSymbolicLink()) await symlink(await readlink(abs), dest);
        else if (est.isFile()) await copyFile(abs, dest);
        else {
          skipped++;
          ctx.log(`skipped ${fromBase}: not a regular file or symlink`);
          continue;
        }
      } catch (e) {
        throw dataError('SG_DATA_COPY_FAILED', `copying ${fromBase} into the backup failed: ${(e as Error).message}`, (e as { code?: string }).code === 'ENOSPC' ? `free space on the backups disk (${ctx.config.backups}) and run the backup again` : 'check the file and run the backup again', { file: fromBase });
      }
      files++;
    }
    // A configured folder that contributes nothing is almost always a mistake (an exclude glob
    // that matches everything, a wrong path); a backup of it would verify as "0 files" and pass.
    if (files === filesBefore && !opts.allowEmpty) {
      const excluded = skipped - skippedBefore;
      throw dataError('SG_DATA_STORAGE_EMPTY', `storage folder ${rel} contributed no files to the backup (${excluded ? `all ${excluded} entries excluded by data.exclude: ${ctx.config.exclude.join(', ')}` : 'the folder is empty'}); nothing was backed up`, excluded ? `fix data.exclude so it does not match every file under ${rel}, or remove ${rel} from data.storage` : `put the files in ${rel}, or remove it from data.storage`, { folder: rel, exclude: ctx.config.exclude, excluded });
    }
  }
  return { files, skipped };
}

/** A storage folder resolved under the runbook's directory; one that escapes it is refused. */
export function storageRoot(baseDir: string, rel: string): string {
  const n = normalize(rel);
  if (isAbsolute(rel) || n === '..' || n.startsWith('../')) {
    throw dataError('SG_DATA_STORAGE_OUTSIDE', `storage folder ${rel} is outside the runbook's folder`, 'list storage folders relative to the runbook, inside it');
  }
  return resolve(baseDir, n);
}

/** Matches runbook-relative paths left out of storage backups (and so left alone by restore). */
export function buildExcluder(ctx: DataContext): (relPosix: string) => boolean {
  const always = [ctx.config.backups, ctx.config.scratch].map((p) => toPosix(relative(ctx.baseDir, resolve(ctx.baseDir, p))));
  const globs = ctx.config.exclude.flatMap((g) => [g, `${g.replace(/\/+$/, '')}/**`]);
  const match = globs.length ? picomatch(globs, { dot: true }) : () => false;
  return (p) => match(p) || always.some((a) => a !== '' && !a.startsWith('..') && (p === a || p.startsWith(`${a}/`)));
}
