import { statSync } from 'node:fs';
import { normalize, resolve, sep } from 'node:path';
import { listGitFiles, type GitFiles } from './list-git-files.js';
import type { GrepSkip } from './types.js';
import { givenPathSkip } from './given-path-skip.js';

/** A file to search. */
export interface SearchTask {
  /**
   * The path to open: relative to the process's working directory where the file lies under it
   * (the kernel then resolves fewer path components per file: ~20% of a 17k-file search's
   * open/read/close time), else absolute. For `audit grep .` it is the displayed path itself,
   * so the list costs no string building.
   */
  readonly open: string;
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
 * Files to search from one given path (`tasks`); or: forget what was found in these files
 * (`drop`: displayed paths); or forget everything found under that path (`discard`).
 */
export type Batch = { readonly root: number; readonly tasks: readonly SearchTask[] } | { readonly root: number; readonly drop: ReadonlySet<string> } | { readonly discard: number };

/**
 * The files rg would search under `paths` (default `.`), in batches so searching starts before
 * the listing ends: explicit files always; directories through `git ls-files` inside a work tree
 * (tracked files first, untracked when git has walked for them; list-git-files.ts), else by
 * walking them (walk-files.ts, loaded only then: it pulls in the `ignore` package).
 */
export async function* listFiles(paths: readonly string[], opts: ListOptions, skips: GrepSkip[]): AsyncGenerator<Batch> {
  const given = paths.length ? paths : ['.'];
  for (let root = 0; root < given.length; root++) {
    const g = given[root]!;
    const abs = resolve(opts.cwd, g);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      skips.push(givenPathSkip(g, abs, e));
      continue;
    }
    if (st.isFile()) {
      yield { root, tasks: [{ open: opener()(abs), display: displayOf(g), root, listed: false }] };
      continue;
    }
    if (!st.isDirectory()) {
      skips.push({ file: g, reason: 'not-a-file', detail: 'not a regular file or directory (FIFO, socket or device)' });
      continue;
    }
    const git = opts.respectIgnore ? listGitFiles(abs, { hidden: opts.hidden, ...(opts.env ? { env: opts.env } : {}) }) : undefined;
    const d = displayOf(g);
    const prefix = d === '.' || d === '' ? '' : d + '/';
    const openBase = abs === process.cwd() ? '' : opener()(abs) + sep;
    let listed = git ? 0 : -1; // -1: walk instead
    for (const part of git ? [git.tracked, git.untracked, git.trackedIgnored] : []) {
      const got = await part;
      if (got === undefined) {
        if (listed > 0) yield { discard: root };
        listed = -1;
        break;
      }
      if (got instanceof Set) {
        if (got.size) yield { root, drop: new Set(Array.from(got, (f) => prefix + f)) };
        continue;
      }
      const { files, dirs } = got as GitFiles;
      listed += files.length + dirs.length;
      const tasks: SearchTask[] = files.map((f) => ({ open: openBase + f, display: prefix + f, root, listed: true }));
      for (const dir of dirs) tasks.push(...(await walked(prefix + dir, root, opts, skips)));
      if (tasks.length) yield { root, tasks };
    }
    // Nothing listed may mean the directory itself is git-ignored; rg still searches a
    // directory it is given, so walk it (also right, and cheap, when it is simply empty).
    if (listed <= 0) yield { root, tasks: await walked(g, root, opts, skips) };
  }
}

/** Walks `given` (a directory, relative to cwd or absolute) into tasks. */
export async function walked(given: string, root: number, opts: ListOptions, skips: GrepSkip[]): Promise<SearchTask[]> {
  const { walkFiles } = await import('./walk-files.js');
  const open = opener();
  return Array.from(walkFiles([given], opts, skips), (t) => ({ open: open(t.abs), display: t.display, root, listed: false }));
}

/** Turns an absolute path into a path to open (see SearchTask.open); the cwd is read once. */
function opener(): (abs: string) => string {
  const here = process.cwd() + sep;
  return (abs) => (abs.startsWith(here) ? abs.slice(here.length) : abs);
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
