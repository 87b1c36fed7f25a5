import { lstat, mkdir, readlink, symlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { CheckRecord } from '../actions/action.js';
import { hashAndCopyFile, hashFile } from './hash-file.js';
import { toPosix, walkTree } from './manifest.js';
import type { BackupManifest } from './types.js';

/** One file that does not match the manifest. */
export interface ManifestProblem {
  readonly path: string;
  readonly problem: 'missing' | 'size-mismatch' | 'checksum-mismatch' | 'type-mismatch' | 'symlink-changed' | 'extra-file' | 'unsafe-path';
  readonly expected?: string;
  readonly measured?: string;
}

/**
 * Re-hashes a folder against a manifest: every entry must be there with the same size and
 * sha256 (symlinks: the same link text), and nothing may be there that the manifest does not
 * list. Every problem names its file. Used by verify (on the backup and on the restored copy)
 * and by restore (right before restoring).
 */
export async function checkManifest(
  name: string,
  root: string,
  manifest: BackupManifest,
  signal?: AbortSignal,
  /** Also copy entries whose path passes `copy.when` into `copy.to` in the same read (verify's scratch restore). */
  copy?: { to: string; when: (path: string) => boolean },
): Promise<CheckRecord> {
  const t0 = performance.now();
  const problems: ManifestProblem[] = [];
  const listed = new Set(manifest.entries.map((e) => e.path));
  let bytes = 0;
  for (const e of manifest.entries) {
    signal?.throwIfAborted();
    if (!isSafeRelative(e.path)) {
      // Never hash (or later restore) what lies outside the backup through `..` or an absolute path.
      problems.push({ path: e.path, problem: 'unsafe-path' });
      continue;
    }
    const abs = join(root, e.path);
    const st = await lstat(abs).catch(() => undefined);
    if (!st) {
      problems.push({ path: e.path, problem: 'missing' });
      continue;
    }
    if (e.type === 'symlink') {
      if (!st.isSymbolicLink()) problems.push({ path: e.path, problem: 'type-mismatch', expected: 'symlink', measured: 'file' });
      else {
        const target = await readlink(abs);
        if (target !== e.target) problems.push({ path: e.path, problem: 'symlink-changed', expected: e.target ?? '', measured: target });
        else if (copy?.when(e.path)) {
          await mkdir(dirname(join(copy.to, e.path)), { recursive: true });
          await symlink(target, join(copy.to, e.path));
        }
      }
      continue;
    }
    if (!st.isFile()) {
      problems.push({ path: e.path, problem: 'type-mismatch', expected: 'file', measured: st.isSymbolicLink() ? 'symlink' : 'other' });
      continue;
    }
    if (st.size !== e.size) {
      problems.push({ path: e.path, problem: 'size-mismatch', expected: String(e.size), measured: String(st.size) });
      continue;
    }
    const h = copy?.when(e.path) ? await hashAndCopyFile(abs, join(copy.to, e.path), signal) : await hashFile(abs, signal);
    bytes += h.size;
    if (h.sha256 !== e.sha256) problems.push({ path: e.path, problem: 'checksum-mismatch', expected: e.sha256 ?? '', measured: h.sha256 });
  }
  for await (const abs of walkTree(root)) {
    const rel = toPosix(relative(root, abs));
    if (!listed.has(rel)) problems.push({ path: rel, problem: 'extra-file' });
  }
  return {
    name,
    passed: problems.length === 0,
    expected: `${manifest.entries.length} entries as in manifest.json`,
    measured: problems.length === 0 ? `${manifest.entries.length} entries match (${bytes} bytes hashed)` : describeProblems(problems),
    ms: Math.round(performance.now() - t0),
    details: { root, problems },
  };
}

/** `data/db/database.sqlite: checksum-mismatch; data/files/a.txt: missing` (first 10). */
export function describeProblems(problems: readonly ManifestProblem[]): string {
  const head = problems.slice(0, 10).map((p) => `${p.path}: ${p.problem}${p.expected !== undefined ? ` (expected ${p.expected}, found ${p.measured ?? '-'})` : ''}`);
  return `${problems.length} problem(s): ${head.join('; ')}${problems.length > 10 ? '; …' : ''}`;
}

/** A `/`-separated relative path without `..`, `.`, empty segments or backslashes. */
export function isSafeRelative(p: string): boolean {
  return !p.startsWith('/') && !p.includes('\\') && !/^[A-Za-z]:/.test(p) && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}
