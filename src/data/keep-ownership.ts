import { chmod, chown, lstat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { dataError } from './errors.js';

/**
 * Gives a file or folder made by a restore the mode and owner of what it replaces. Without it a
 * restore run as root (or as another user) leaves the app's database or storage owned by that
 * user with default permissions, and the app, running as itself, cannot write any more.
 *
 * Called before the swap, so a failure leaves the live data as it was.
 */
export async function takeOwnership(path: string, like: Pick<Stats, 'mode' | 'uid' | 'gid'>): Promise<void> {
  await chmod(path, like.mode & 0o7777);
  const mine = await lstat(path);
  if (mine.uid === like.uid && mine.gid === like.gid) return;
  try {
    await chown(path, like.uid, like.gid);
  } catch (e) {
    throw dataError(
      'SG_DATA_OWNER',
      `cannot give ${path} the owner of the live data it replaces (uid ${like.uid}, gid ${like.gid}): ${(e as Error).message}; nothing was swapped`,
      'run the restore as the user that owns the live data, or as root',
    );
  }
}

/**
 * takeOwnership over a tree rebuilt beside `liveRoot` from `entries`: each folder and file takes
 * the mode and owner of its live counterpart; one the live tree does not have takes the live
 * root's owner (files keep the mode they were backed up with). Symlinks are left as made.
 */
export async function mirrorOwnership(fresh: string, liveRoot: string, entries: ReadonlyArray<{ readonly path: string; readonly type: string }>): Promise<void> {
  const root = await lstat(liveRoot);
  const dirs = new Set<string>(['.']);
  for (const e of entries) for (let d = dirname(e.path); !dirs.has(d); d = dirname(d)) dirs.add(d);
  for (const d of dirs) {
    const live = await lstat(join(liveRoot, d)).catch(() => undefined);
    await takeOwnership(join(fresh, d), live?.isDirectory() ? live : root);
  }
  for (const e of entries) {
    if (e.type === 'symlink') continue;
    const path = join(fresh, e.path);
    const live = await lstat(join(liveRoot, e.path)).catch(() => undefined);
    await takeOwnership(path, live?.isFile() ? live : { mode: (await lstat(path)).mode, uid: root.uid, gid: root.gid });
  }
}
