import { stat, statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { DataContext } from './data-context.js';
import { dataError } from './errors.js';
import { backupsRoot } from './layout.js';
import { storagePrefix } from './files-source.js';
import type { BackupManifest } from './types.js';

/** Room kept free beyond the estimate: the live data may have grown since the backup. */
const MARGIN = 1.1;

/**
 * Refuses a restore that would run out of disk after the app was stopped. A restore writes a
 * safety backup of the current state into the backups folder (estimated at the backup's own size),
 * then each restored copy BESIDE what it replaces: the storage folders, and a SQLite file beside
 * itself. Needs on the same filesystem add up. A Postgres or MySQL database is restored on its
 * server, which this cannot see; its safety dump is counted.
 */
export async function checkRestoreSpace(ctx: DataContext, manifest: BackupManifest, storage: readonly string[], sqliteFile: string | undefined): Promise<void> {
  const total = manifest.entries.reduce((n, e) => n + e.size, 0);
  const needs: Array<{ path: string; bytes: number; what: string }> = [{ path: backupsRoot(ctx.baseDir, ctx.config.backups), bytes: total, what: 'the safety backup' }];
  for (const s of storage) {
    const prefix = storagePrefix(ctx.baseDir, s);
    const bytes = manifest.entries.filter((e) => e.path.startsWith(prefix)).reduce((n, e) => n + e.size, 0);
    needs.push({ path: dirname(resolve(ctx.baseDir, s)), bytes, what: `the restored copy of ${s}` });
  }
  if (sqliteFile) {
    const bytes = manifest.entries.filter((e) => e.path.startsWith('db/')).reduce((n, e) => n + e.size, 0);
    needs.push({ path: dirname(sqliteFile), bytes, what: 'the restored database file' });
  }
  const byDevice = new Map<number, { path: string; bytes: number; what: string[] }>();
  for (const n of needs) {
    const at = await existingAncestor(n.path);
    const dev = (await stat(at)).dev;
    const d = byDevice.get(dev) ?? { path: at, bytes: 0, what: [] };
    d.bytes += n.bytes;
    d.what.push(n.what);
    byDevice.set(dev, d);
  }
  for (const d of byDevice.values()) {
    const fs = await statfs(d.path);
    const free = fs.bavail * fs.bsize;
    if (d.bytes * MARGIN > free) {
      throw dataError(
        'SG_DATA_DISK_SPACE',
        `not enough disk for the restore on the filesystem of ${d.path}: ${d.what.join(', ')} need about ${mb(d.bytes * MARGIN)} MB, ${mb(free)} MB free; nothing was touched`,
        'free space there (old backups: shipgate backup prune), then run the restore again',
      );
    }
  }
}

/** The path itself or its nearest existing parent (the backups folder may not exist yet). */
async function existingAncestor(p: string): Promise<string> {
  for (let d = p; ; d = dirname(d)) {
    if (await stat(d).then(() => true, () => false)) return d;
    if (dirname(d) === d) return d;
  }
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
