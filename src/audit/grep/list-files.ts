import { statSync } from 'node:fs';
import { normalize, resolve, sep } from 'node:path';
import { listGitFiles } from './list-git-files.js';
import type { GrepSkip } from './types.js';

/** A file to search. */
export interface SearchTask {
  readonly abs: string;
  /** The path as rg shows it (relative to cwd as given, normalised). */
  readonly display: string;
  /** Index of the given path it came from: results are ordered by it, then by path. */
  readonly root: number;
  /**
   * Listed by git, not checked by a walk: may be a symlink (opened with O_NOFOLLOW), a submodule
   * directory (EISDIR) or deleted from the work tree (ENOENT); grep-files.ts handles those.
   */
  readonly listed: boolean;
}

export interface ListOptions {
  readonly cwd: string;
  readonly hidden: boolean;
  readonly respectIgnore: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * The files rg would search under `paths` (default `.`): explicit files always; directories
 * through `git ls-files` inside a work tree (list-git-files.ts), else by walking them
 * (walk-files.ts, loaded only then: it pulls in the `ignore` package).
 */
export async function listFiles(paths: readonly string[], opts: ListOptions, skips: GrepSkip[]): Promise<SearchTask[]> {
  const tasks: SearchTask[] = [];
  const given = paths.length ? paths : ['.'];
  for (let root = 0; root < given.length; root++) {
    const g = given[root]!;
    const abs = resolve(opts.cwd, g);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      skips.push({ file: g, reason: 'unreadable', detail: (e as Error).message });
      continue;
    }
    if (st.isFile()) {
      tasks.push({ abs, display: displayOf(g), root, listed: false });
      continue;
    }
    if (!st.isDirectory()) {
      skips.push({ file: g, reason: 'not-a-file', detail: 'not a regular file or directory (FIFO, socket or device)' });
      continue;
    }
    const listing = opts.respectIgnore ? await listGitFiles(abs, { hidden: opts.hidden, ...(opts.env ? { env: opts.env } : {}) }) : undefined;
    // An empty listing may mean the directory itself is git-ignored; rg still searches a
    // directory it is given, so walk it (also right, and cheap, when it is simply empty).
    if (!listing || listing.files.length + listing.dirs.length === 0) {
      await walkInto(tasks, g, root, opts, skips);
      continue;
    }
    const d = displayOf(g);
    const prefix = d === '.' || d === '' ? '' : d + '/';
    for (const f of listing.files) tasks.push({ abs: abs + sep + f, display: prefix + f, root, listed: true });
    for (const dir of listing.dirs) await walkInto(tasks, prefix + dir, root, opts, skips);
  }
  return tasks;
}

/** Walks `given` (a directory, relative to cwd or absolute) and appends its files. */
export async function walkInto(tasks: SearchTask[], given: string, root: number, opts: ListOptions, skips: GrepSkip[]): Promise<void> {
  const { walkFiles } = await import('./walk-files.js');
  for (const t of walkFiles([given], opts, skips)) tasks.push({ ...t, root, listed: false });
}

/** rg shows paths as given (normalised); outside the cwd it shows them as they were given too. */
export function displayOf(given: string): string {
  const p = normalize(given).split(sep).join('/').replace(/\/+$/, '');
  return p.startsWith('./') ? p.slice(2) : p;
}

/**
 * A key that orders results as the walker yields them: by given path, then each directory's
 * entries by name with a directory's contents right after its name (`a/c.txt` before `a.txt`,
 * which plain string order would not give): `/` becomes the lowest character.
 */
export function orderKey(t: { root: number; display: string }): string {
  return `${String(t.root).padStart(6, '0')}\0${t.display.replaceAll('/', '\0')}`;
}
