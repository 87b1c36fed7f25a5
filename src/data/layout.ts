import { randomBytes } from 'node:crypto';
import { readdir, rename, stat, writeFile } from 'node:fs/promises';
import { readMetadata } from './backup-json.js';
import { join, resolve } from 'node:path';
import { stampOf } from './data-context.js';
import { dataError } from './errors.js';
import type { BackupRef } from './types.js';

/**
 * Where backups live:
 *
 *   <data.backups>/<env>/<UTC stamp with ms, e.g. 20261121T004950123Z>-<6 hex>/       a complete backup (its name is the backup id)
 *       data/db/…  data/files/<storage path>/…       the data
 *       manifest.json  metadata.json                 written last, before the rename
 *       verification.json                            the latest verification, for people
 *   <data.backups>/<env>/<id>.partial/               being written; never listed, removed on failure
 */
export const PARTIAL_SUFFIX = '.partial';

export function backupsRoot(baseDir: string, backups: string): string {
  return resolve(baseDir, backups);
}

export function newBackupId(now: Date): string {
  // Milliseconds in the id keep `list` in creation order even for backups taken within a second.
  const ms = String(now.getUTCMilliseconds()).padStart(3, '0');
  return `${stampOf(now).replace(/Z$/, `${ms}Z`)}-${randomBytes(3).toString('hex')}`;
}

/** Complete backups of an environment, newest first. Partial folders are ignored. */
export async function listBackups(root: string, environment: string): Promise<BackupRef[]> {
  const envDir = join(root, environment);
  const names = await readdir(envDir).catch(() => [] as string[]);
  const out: BackupRef[] = [];
  for (const id of names) {
    if (id.endsWith(PARTIAL_SUFFIX) || id.startsWith('.')) continue;
    const meta = await readMetadata(join(envDir, id)).catch(() => undefined);
    if (meta) out.push({ id, environment, dir: join(envDir, id), createdAt: meta.createdAt });
  }
  return out.sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1));
}

/** Finds a backup by id (as printed by `list`), or fails naming the folder searched. */
export async function findBackup(root: string, environment: string, id: string): Promise<BackupRef> {
  const all = await listBackups(root, environment);
  const hit = all.find((b) => b.id === id);
  if (!hit) {
    // A folder whose metadata.json is damaged is not listed; say so instead of "not found".
    if (!id.endsWith(PARTIAL_SUFFIX) && !id.includes('/') && (await stat(join(root, environment, id)).catch(() => undefined))?.isDirectory()) await readMetadata(join(root, environment, id));
    throw dataError('SG_DATA_BACKUP_NOT_FOUND', `backup ${id} not found in ${join(root, environment)}`, `shipgate backup list --env ${environment}`);
  }
  return hit;
}

export { manifestDigestOrNull, readManifest, readMetadata } from './backup-json.js';

/** Writes JSON to a temp file and renames it into place, so a reader never sees half a file. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.tmp-${randomBytes(3).toString('hex')}`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(tmp, path);
}
