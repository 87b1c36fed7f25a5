import { copyFile, lstat, mkdir, readdir, rename, rm, symlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { DataContext } from './data-context.js';
import { stampOf } from './data-context.js';
import { toPosix } from './manifest.js';
import { dataError } from './errors.js';
import { mirrorOwnership } from './keep-ownership.js';
import type { PreparedSwap } from './database-adapter.js';
import type { ManifestEntry } from './types.js';

/**
 * Restores one storage folder: builds the new tree BESIDE it (`<folder>.shipgate-restore-<stamp>`)
 * from the manifest entries only, checks it, and gives it the live tree's owners and modes
 * (prepare); then moves the live folder's excluded items across (restore leaves what the backup
 * did not cover alone), swaps with two renames and removes the old tree (swap).
 *
 * If the swap fails, everything is put back before anything is deleted: the live folder renamed
 * back if it had been moved aside, the excluded items moved back into it, and only then the new
 * tree removed. The excluded items are in no backup (not even the safety backup), so if any of
 * that fails nothing is removed and the error says where each part is.
 */
export async function prepareFolder(opts: FolderRestore): Promise<PreparedSwap> {
  const stamp = stampOf(opts.ctx.clock());
  const fresh = `${opts.liveRoot}.shipgate-restore-${stamp}`;
  const old = `${opts.liveRoot}.shipgate-old-${stamp}`;
  // Only what this restore made is ever removed: something already at that name is not ours.
  let made = false;
  const discard = async () => {
    if (made) await rm(fresh, { recursive: true, force: true });
  };
  try {
    await mkdir(dirname(fresh), { recursive: true });
    await mkdir(fresh);
    made = true;
    for (const e of opts.entries) {
      opts.ctx.signal.throwIfAborted();
      const dest = join(fresh, e.path);
      await mkdir(dirname(dest), { recursive: true });
      if (e.type === 'symlink') await symlink(e.target ?? '', dest);
      else await copyFile(join(opts.sourceRoot, e.path), dest);
    }
    await opts.verifyNew(fresh);
    if (await exists(opts.liveRoot)) await mirrorOwnership(fresh, opts.liveRoot, opts.entries);
  } catch (e) {
    await discard().catch(() => {});
    throw e;
  }
  return {
    swap: async () => {
      const moved: Moved[] = [];
      let liveMovedAside = false;
      try {
        if (await exists(opts.liveRoot)) {
          await moveExcluded(opts.liveRoot, fresh, opts.ctx.baseDir, opts.isExcluded, moved);
          await rename(opts.liveRoot, old);
          liveMovedAside = true;
        }
        await rename(fresh, opts.liveRoot);
      } catch (e) {
        await putBack({ liveRoot: opts.liveRoot, fresh, old, liveMovedAside, moved }, e);
        throw e;
      }
      await rm(old, { recursive: true, force: true });
    },
    discard,
  };
}

export interface FolderRestore {
  readonly liveRoot: string;
  /** `data/files/<storage path>` inside the backup. */
  readonly sourceRoot: string;
  /** Entries relative to sourceRoot. */
  readonly entries: readonly ManifestEntry[];
  readonly isExcluded: (relFromBase: string) => boolean;
  readonly ctx: DataContext;
  /** Checks the new tree before the swap; throws to abort. */
  readonly verifyNew: (newRoot: string) => Promise<void>;
}

const exists = (p: string) => lstat(p).then(() => true, () => false);

/** An excluded item moved from the live tree (`from`) into the new tree (`to`). */
interface Moved {
  readonly from: string;
  readonly to: string;
}

/**
 * Moves (renames, never copies or writes into) every excluded item of the live tree into the new
 * tree, noting each in `moved` as soon as it has moved.
 */
async function moveExcluded(liveDir: string, newDir: string, baseDir: string, isExcluded: (rel: string) => boolean, moved: Moved[]): Promise<void> {
  for (const item of await readdir(liveDir, { withFileTypes: true })) {
    const abs = join(liveDir, item.name);
    const rel = toPosix(relative(baseDir, abs));
    const target = join(newDir, item.name);
    if (isExcluded(rel)) {
      await mkdir(newDir, { recursive: true });
      await rm(target, { recursive: true, force: true });
      await rename(abs, target);
      moved.push({ from: abs, to: target });
    } else if (item.isDirectory()) await moveExcluded(abs, target, baseDir, isExcluded, moved);
  }
}

/**
 * Undoes a failed swap (see prepareFolder). The live folder first: the excluded items go back
 * into it, so with it still aside they stay where they are. The new tree is removed only when
 * everything is back.
 */
async function putBack(s: { liveRoot: string; fresh: string; old: string; liveMovedAside: boolean; moved: readonly Moved[] }, cause: unknown): Promise<void> {
  const stuck: string[] = [];
  if (s.liveMovedAside) {
    await rename(s.old, s.liveRoot).catch((e: Error) => stuck.push(`the live folder ${s.liveRoot} is at ${s.old} (${e.message})`));
  }
  if (stuck.length === 0) {
    for (const m of [...s.moved].reverse()) {
      await rename(m.to, m.from).catch((e: Error) => stuck.push(`${m.from} is at ${m.to} (${e.message})`));
    }
  } else if (s.moved.length) {
    stuck.push(`the items it kept (not in any backup) are in ${s.fresh}: ${s.moved.map((m) => relative(s.fresh, m.to)).join(', ')}`);
  }
  if (stuck.length === 0) {
    // Only a copy of the backup is left in it: failing to remove it must not hide the cause.
    await rm(s.fresh, { recursive: true, force: true }).catch(() => {});
    return;
  }
  throw dataError(
    'SG_DATA_RESTORE_STUCK',
    `restoring ${s.liveRoot} failed (${(cause as Error)?.message ?? String(cause)}) and could not be undone; nothing was deleted: ${stuck.join('; ')}`,
    'move those back by hand before starting the app, then run the restore again',
  );
}
