import { copyFile, lstat, mkdir, readdir, rename, rm, symlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { DataContext } from './data-context.js';
import { stampOf } from './data-context.js';
import { toPosix } from './manifest.js';
import type { ManifestEntry } from './types.js';

/**
 * Restores one storage folder: builds the new tree BESIDE it (`<folder>.shipgate-restore-<stamp>`)
 * from the manifest entries only, moves the live folder's excluded items across (restore leaves
 * what the backup did not cover alone), then swaps with two renames and removes the old tree.
 * Until the first rename the live folder is untouched; on failure the new tree is removed.
 */
export async function restoreFolder(opts: {
  readonly liveRoot: string;
  /** `data/files/<storage path>` inside the backup. */
  readonly sourceRoot: string;
  /** Entries relative to sourceRoot. */
  readonly entries: readonly ManifestEntry[];
  readonly isExcluded: (relFromBase: string) => boolean;
  readonly ctx: DataContext;
  /** Checks the new tree before the swap; throws to abort. */
  readonly verifyNew: (newRoot: string) => Promise<void>;
}): Promise<{ files: number }> {
  const stamp = stampOf(opts.ctx.clock());
  const fresh = `${opts.liveRoot}.shipgate-restore-${stamp}`;
  const old = `${opts.liveRoot}.shipgate-old-${stamp}`;
  try {
    await mkdir(fresh, { recursive: true });
    for (const e of opts.entries) {
      opts.ctx.signal.throwIfAborted();
      const dest = join(fresh, e.path);
      await mkdir(dirname(dest), { recursive: true });
      if (e.type === 'symlink') await symlink(e.target ?? '', dest);
      else await copyFile(join(opts.sourceRoot, e.path), dest);
    }
    await opts.verifyNew(fresh);
    const liveExists = await lstat(opts.liveRoot).then(() => true, () => false);
    if (liveExists) await moveExcluded(opts.liveRoot, fresh, opts.ctx.baseDir, opts.isExcluded);
    if (liveExists) await rename(opts.liveRoot, old);
    await rename(fresh, opts.liveRoot);
  } catch (e) {
    await rm(fresh, { recursive: true, force: true });
    throw e;
  }
  await rm(old, { recursive: true, force: true });
  return { files: opts.entries.length };
}

/** Moves (renames, never copies or writes into) every excluded item of the live tree into the new tree. */
async function moveExcluded(liveDir: string, newDir: string, baseDir: string, isExcluded: (rel: string) => boolean): Promise<void> {
  for (const item of await readdir(liveDir, { withFileTypes: true })) {
    const abs = join(liveDir, item.name);
    const rel = toPosix(relative(baseDir, abs));
    const target = join(newDir, item.name);
    if (isExcluded(rel)) {
      await mkdir(newDir, { recursive: true });
      await rm(target, { recursive: true, force: true });
      await rename(abs, target);
    } else if (item.isDirectory()) await moveExcluded(abs, target, baseDir, isExcluded);
  }
}
