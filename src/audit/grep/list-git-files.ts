import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { decodeUtf8, splitNul } from './nul-text.js';
import { checkIgnore, trackedIgnored as quickTrackedIgnored } from './tracked-ignored.js';

/** Files (and directories to walk) under one search root, as git lists them. */
export interface GitFiles {
  /** Files relative to the root, POSIX separators, hidden ones already dropped unless asked. */
  readonly files: readonly string[];
  /**
   * Untracked nested repositories (git lists them as `dir/` and does not look inside); the
   * caller walks them as rg would.
   */
  readonly dirs: readonly string[];
}

/**
 * The two halves of a listing. Tracked files come from the index (instant); untracked ones need
 * git to walk the directory (~0.1 s on a 13k-file tree), so they arrive later and the caller
 * searches the tracked files meanwhile. Either resolves to undefined when git failed or its list
 * cannot equal rg's; the caller then walks the whole root instead.
 */
export interface GitListing {
  readonly tracked: Promise<GitFiles | undefined>;
  /**
   * Tracked files an ignore rule matches (relative to the root): rg does not search them. They
   * are known only once the untracked files are (tracked-ignored.ts reads the ignore files both
   * listings name), so the caller searches the tracked files without waiting and forgets these
   * afterwards; the set is almost always empty.
   */
  readonly trackedIgnored: Promise<ReadonlySet<string> | undefined>;
  readonly untracked: Promise<GitFiles | undefined>;
}

/**
 * The untracked files. `.gitignore` files are listed even when ignored (a command-line pattern
 * outranks every ignore file): a .gitignore can ignore itself (`*`, as tool caches write them),
 * and git still reads its rules, so tracked-ignored.ts must see it. Ignored ones are taken out
 * again before searching (untrackedFiles).
 */
export const OTHERS = ['ls-files', '-z', '--others', '--exclude-standard', '--exclude=!.gitignore'];

/** The global excludes file git reads (`--default ''`: exit 0 with an empty value when unset). */
export const EXCLUDES_FILE = ['config', '-z', '--path', '--default', '', '--get', 'core.excludesFile'];

/** Ignore files that rg honours and git does not: with one of them around, git's list is not rg's. */
const RG_ONLY_IGNORE = ['.ignore', '.rgignore'];

/**
 * Lists the files rg would search under the directory `rootAbs`, using git instead of walking:
 * `git ls-files` applies .gitignore, .git/info/exclude and the global excludes file in C, where
 * matching every walked path with the `ignore` package cost ~180 ms on a 13k-file tree.
 *
 * rg's choice differs from git's in a few ways, handled here: rg does not search tracked files
 * that an ignore rule matches (tracked-ignored.ts says which), nor
 * hidden files (dropped by name); rg honours `.ignore`/`.rgignore` (their presence makes the
 * caller walk). Symlinks and submodules (listed as files by git) are handled when the file is
 * opened (search-file.ts: O_NOFOLLOW; grep-files.ts: EISDIR).
 *
 * @returns undefined outside a git work tree or with an rg-only ignore file above the root.
 */
export function listGitFiles(rootAbs: string, opts: { hidden: boolean; env?: NodeJS.ProcessEnv }): GitListing | undefined {
  const gitRoot = findGitRoot(rootAbs);
  if (gitRoot === undefined) return undefined; // rg reads .gitignore only inside a repository
  if (rgOnlyIgnoreAbove(gitRoot, rootAbs)) return undefined;
  // The tracked list first, alone: started together, the processes delayed it from ~12 to ~30 ms
  // on two cores. The slower listing starts as it arrives and overlaps the search.
  const cached = git(rootAbs, ['ls-files', '-z', '--cached'], opts.env);
  // And not at once: spawning costs this thread ~10 ms each (fork of a large process), so they
  // wait one turn of the event loop, by which time the search of the tracked files has begun on
  // the native threads (search-native.ts) and goes on while this thread spawns.
  const later = cached.then(() => new Promise((next) => setImmediate(next))).then(() => ({
    others: git(rootAbs, OTHERS, opts.env),
    excludesFile: git(rootAbs, EXCLUDES_FILE, opts.env),
  }));
  const others = later.then((l) => l.others);
  const tracked = cached.then((c) => (c === undefined ? undefined : filter(c, opts.hidden)));
  const untracked = others.then((o) => (o === undefined ? undefined : untrackedFiles(rootAbs, o, opts)));
  // Begun as soon as the tracked list is there (tracked-ignored.ts), a turn after the search.
  const trackedIgnored = later.then(async (l) => {
    const [c, x] = await Promise.all([cached, l.excludesFile]);
    if (c === undefined) return undefined; // the caller walks instead
    const quick = x === undefined ? undefined : await quickTrackedIgnored({ gitRoot, rootAbs, excludesFile: x.replace(/\0$/, ''), ...(opts.env ? { env: opts.env } : {}) }, c, l.others);
    if (quick || (await l.others) === undefined) return quick;
    const full = await git(rootAbs, ['ls-files', '-z', '--cached', '--ignored', '--exclude-standard'], opts.env);
    return full === undefined ? undefined : new Set(splitNul(full));
  });
  return { tracked, trackedIgnored, untracked };
}

/**
 * Drops hidden paths; undefined when the list cannot be rg's (see listGitFiles). Works on the
 * whole listing with indexOf, not per path nor with a regex: testing each of 17k paths cost
 * ~10 ms, and a regex over a 1 MB listing runs once, in V8's regex interpreter (~15 ms).
 */
function filter(listed: string, hidden: boolean): GitFiles | undefined {
  // A name that is not valid UTF-8 decodes to U+FFFD and could not be opened: walk instead.
  if (listed.includes('\uFFFD') || RG_ONLY_IGNORE.some((name) => listsName(listed, name))) return undefined;
  const kept = hidden ? listed : withoutHidden(listed);
  const all = splitNul(kept);
  // Untracked nested repositories are listed as `dir/`; usually there are none.
  if (!kept.includes('/\0')) return { files: all, dirs: [] };
  const files: string[] = [];
  const dirs: string[] = [];
  for (const p of all) {
    if (p.endsWith('/')) dirs.push(p.slice(0, -1));
    else files.push(p);
  }
  return { files, dirs };
}

/**
 * The untracked files rg would search: the listing without the .gitignore files git ignores
 * (OTHERS lists them all, and what is in a folder named so). Without `hidden` they go anyway, as
 * every hidden path does; with it, `git check-ignore` says which to drop (there are few).
 */
async function untrackedFiles(rootAbs: string, listed: string, opts: { hidden: boolean; env?: NodeJS.ProcessEnv }): Promise<GitFiles | undefined> {
  if (!opts.hidden) return filter(listed, false);
  // In any case (core.ignoreCase), and a folder of that name too: the exception un-ignores both.
  const named = splitNul(listed).filter((p) => /(?:^|\/)\.gitignore(?:\/|$)/i.test(p));
  if (named.length === 0) return filter(listed, true);
  if (named.some((p) => p.startsWith(':'))) return undefined; // read as pathspec magic: walk instead
  const ignored = await checkIgnore(rootAbs, named, opts.env ?? process.env, false);
  if (ignored === undefined) return undefined;
  return filter(ignored.size ? splitNul(listed).filter((p) => !ignored.has(p)).map((p) => p + '\0').join('') : listed, true);
}

/** Whether a NUL-separated listing has a file called `name` (in any directory). */
function listsName(z: string, name: string): boolean {
  for (let i = z.indexOf(name + '\0'); i >= 0; i = z.indexOf(name + '\0', i + 1)) {
    if (i === 0 || z[i - 1] === '/' || z[i - 1] === '\0') return true;
  }
  return false;
}

/** The listing without its hidden paths (rg's "hidden": a path component starting with '.'). */
function withoutHidden(z: string): string {
  // Starts of hidden paths: '.' first in the listing, after a NUL, or after a '/' in a path.
  const starts: number[] = [];
  if (z.startsWith('.')) starts.push(0);
  for (let i = z.indexOf('\0.'); i >= 0; i = z.indexOf('\0.', i + 1)) starts.push(i + 1);
  for (let i = z.indexOf('/.'); i >= 0; i = z.indexOf('/.', i + 1)) starts.push(z.lastIndexOf('\0', i) + 1);
  if (!starts.length) return z;
  starts.sort((a, b) => a - b);
  let out = '';
  let from = 0; // start of the part not yet copied
  for (const start of starts) {
    if (start < from) continue; // a second hidden component of a path already cut
    const nul = z.indexOf('\0', start);
    out += z.slice(from, start);
    from = nul < 0 ? z.length : nul + 1;
  }
  return out + z.slice(from);
}

/** The nearest directory at or above `dir` holding `.git` (a directory, or a file in worktrees). */
function findGitRoot(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

/** rg also reads `.ignore`/`.rgignore` in the parents of the search root, up to the repository root. */
function rgOnlyIgnoreAbove(gitRoot: string, rootAbs: string): boolean {
  for (let d = rootAbs; d !== gitRoot && dirname(d) !== d; ) {
    d = dirname(d);
    if (RG_ONLY_IGNORE.some((n) => existsSync(join(d, n)))) return true;
  }
  return false;
}


/** A listing bin/grep-prefetch.js started as the process started. */
interface Prefetched {
  readonly result: Promise<Buffer | undefined>;
  ref(): void;
}

function git(cwd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string | undefined> {
  const prefetched = env === undefined ? takePrefetched(cwd, args) : undefined;
  if (prefetched) return prefetched.then((out) => (out === undefined ? undefined : decodeUtf8(out)));
  return new Promise((resolve) => {
    execFile('git', args, { cwd, env, encoding: 'buffer', maxBuffer: 1 << 30 }, (err, stdout) => resolve(err ? undefined : decodeUtf8(stdout)));
  });
}

/**
 * The same command's output if bin/grep-prefetch.js started it (same folder, same arguments, the
 * inherited environment): each is taken once. See that file for why.
 */
function takePrefetched(cwd: string, args: readonly string[]): Promise<Buffer | undefined> | undefined {
  const started = (globalThis as { __shipgateGitPrefetch?: Map<string, Prefetched> }).__shipgateGitPrefetch;
  const key = `${cwd}\0${args.join('\0')}`;
  const p = started?.get(key);
  if (!p) return undefined;
  started!.delete(key);
  p.ref(); // now awaited: it keeps the process alive until it ends
  return p.result;
}
