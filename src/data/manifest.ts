import { lstat, readdir, readlink } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import type { Sha256Hex } from '../core/brand.js';
import { canonicalJson, sha256Hex } from '../core/canonical-json.js';
import { hashFile } from './hash-file.js';
import type { BackupManifest, ManifestEntry } from './types.js';

/**
 * Builds the manifest of a folder: every regular file (size + streamed sha256) and every
 * symlink (its link text; links are recorded, never followed). Sorted by path so that the
 * digest is stable.
 */
export async function buildManifest(root: string, signal?: AbortSignal): Promise<BackupManifest> {
  const entries: ManifestEntry[] = [];
  for await (const abs of walkTree(root)) {
    signal?.throwIfAborted();
    const rel = toPosix(relative(root, abs));
    const st = await lstat(abs);
    if (st.isSymbolicLink()) entries.push({ path: rel, type: 'symlink', size: 0, target: await readlink(abs) });
    else if (st.isFile()) {
      const { sha256, size } = await hashFile(abs, signal);
      entries.push({ path: rel, type: 'file', size, sha256 });
    }
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { version: 1, entries };
}

/** sha256 of the canonical JSON of the manifest: what the ledger records and checks against. */
export function digestManifest(manifest: BackupManifest): Sha256Hex {
  return sha256Hex(canonicalJson(manifest));
}

/** Every file and symlink under root (depth first), without following symlinks. */
export async function* walkTree(root: string): AsyncGenerator<string> {
  const items = await readdir(root, { withFileTypes: true });
  items.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const item of items) {
    const abs = join(root, item.name);
    if (item.isDirectory()) yield* walkTree(abs);
    else yield abs;
  }
}

export function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join(posix.sep);
}
