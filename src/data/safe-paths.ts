import { isAbsolute, normalize, posix, relative, resolve } from 'node:path';
import type { DataConfig } from '../runbook/schema.js';
import { FILES_DIR } from './files-source.js';
import type { BackupManifest } from './types.js';

/** A reason a restore must not start. Each names the manifest entry or runbook path at fault. */
export interface PathViolation {
  readonly path: string;
  readonly reason: 'unsafe-path' | 'outside-storage' | 'protected' | 'symlink-absolute' | 'symlink-escapes' | 'symlink-into-protected' | 'protect-overlaps-storage' | 'storage-is-symlink' | 'storage-not-a-folder';
  readonly detail: string;
}

/** Is `child` equal to or inside `parent` (both absolute)? */
export function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Checks, before anything is touched, that restoring this manifest cannot write inside a
 * `protect` path or outside the storage folders — not through `..`, absolute paths, or symlinks
 * planted in the backup. Pure (no IO), so it runs first and fails fast.
 *
 * Rules: a storage folder may not overlap a protected path (the folder is swapped as a whole);
 * every `files/` entry must sit inside a storage folder and outside every protected path; a
 * symlink's text must be relative and resolve inside the storage folder it lives in.
 */
export function checkRestorePaths(manifest: BackupManifest, config: DataConfig, storage: readonly string[], baseDir: string): PathViolation[] {
  const out: PathViolation[] = [];
  const protect = config.protect.map((p) => ({ rel: p, abs: resolve(baseDir, p) }));
  const roots = storage.map((s) => ({ rel: s, abs: resolve(baseDir, s) }));
  for (const r of roots) {
    for (const p of protect) {
      if (isInside(r.abs, p.abs) || isInside(p.abs, r.abs)) {
        out.push({ path: r.rel, reason: 'protect-overlaps-storage', detail: `storage folder ${r.rel} overlaps protected path ${p.rel}` });
      }
    }
    if (!isInside(r.abs, baseDir)) out.push({ path: r.rel, reason: 'outside-storage', detail: `storage folder ${r.rel} is outside the runbook's folder` });
  }
  const db = config.database?.path ? resolve(baseDir, config.database.path) : undefined;
  for (const p of protect) if (db && isInside(db, p.abs)) out.push({ path: config.database!.path!, reason: 'protected', detail: `the database file is inside protected path ${p.rel}` });

  for (const e of manifest.entries) {
    const segments = e.path.split('/');
    if (e.path.includes('\\') || e.path.startsWith('/') || isAbsolute(e.path) || segments.some((s) => s === '..' || s === '.' || s === '')) {
      out.push({ path: e.path, reason: 'unsafe-path', detail: 'absolute, empty or `..` segment' });
      continue;
    }
    if (segments[0] === 'db') continue;
    if (segments[0] !== FILES_DIR) {
      out.push({ path: e.path, reason: 'unsafe-path', detail: 'neither under db/ nor files/' });
      continue;
    }
    const live = resolve(baseDir, segments.slice(1).join('/'));
    const root = roots.find((r) => isInside(live, r.abs) && live !== r.abs);
    const inProtect = protect.find((p) => isInside(live, p.abs));
    if (inProtect) out.push({ path: e.path, reason: 'protected', detail: `would write inside protected path ${inProtect.rel}` });
    else if (!root) out.push({ path: e.path, reason: 'outside-storage', detail: `not inside any storage folder (${storage.join(', ')})` });
    if (e.type !== 'symlink' || !root) continue;
    const target = e.target ?? '';
    if (posix.isAbsolute(target) || isAbsolute(target)) {
      out.push({ path: e.path, reason: 'symlink-absolute', detail: `symlink to absolute path ${target}` });
      continue;
    }
    const pointsTo = resolve(live, '..', normalize(target));
    const into = protect.find((p) => isInside(pointsTo, p.abs));
    if (into) out.push({ path: e.path, reason: 'symlink-into-protected', detail: `symlink ${target} points into protected path ${into.rel}` });
    else if (!isInside(pointsTo, root.abs)) out.push({ path: e.path, reason: 'symlink-escapes', detail: `symlink ${target} points outside storage folder ${root.rel}` });
  }
  return out;
}
