import { execFile } from 'node:child_process';
import { closeSync, constants, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { supersetRegex, type IgnoreSource } from './ignore-superset.js';
import { decodeUtf8, splitNul } from './nul-text.js';

/** Where a search root lies in its repository, and what git said about the global excludes file. */
export interface IgnoreContext {
  readonly gitRoot: string;
  readonly rootAbs: string;
  readonly env?: NodeJS.ProcessEnv;
  /** `git config --path core.excludesFile`: '' when unset. */
  readonly excludesFile: string;
}

/**
 * More candidates than this and one `git ls-files --cached --ignored` (which tests every index
 * entry) is cheaper than asking about each.
 */
const MAX_CANDIDATES = 2000;

/** Variables that move the repository or its work tree: with one set, the files read here may not be git's. */
const RELOCATING = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR'];

/**
 * The tracked files (paths of `tracked`, a NUL-terminated `git ls-files -z --cached` listing of
 * the search root) that an ignore rule matches, as `git ls-files --cached --ignored
 * --exclude-standard` would list them: rg does not search those.
 *
 * Why not just run that: on a 27k-file tree it takes ~140 ms of CPU (it stats every tracked file
 * and opens a .gitignore in every directory), a third of what the whole search costs, for an
 * answer that is nearly always "none". Instead the ignore files are read here, a loose reading
 * of their rules (supersetRegex) picks the few tracked paths a rule could match, and `git
 * check-ignore --no-index` judges just those, exactly. The listings name every ignore file git
 * reads for a tracked file: the tracked ones, and the untracked ones, ignored or not
 * (list-git-files.ts OTHERS), except inside an ignored directory; and every tracked file in an
 * ignored directory is a candidate anyway.
 *
 * It starts with the tracked listing, while the untracked one (`untracked`, which git needs a
 * walk of the tree for) is still coming, and then reads the untracked .gitignore files it names,
 * if any.
 *
 * @returns undefined when this cannot be sure (a relocated repository, an ignore file it cannot
 *   read, too many candidates…) or the untracked listing failed: the caller then asks git the
 *   slow way.
 */
export async function trackedIgnored(ctx: IgnoreContext, tracked: string, untracked: Promise<string | undefined>): Promise<ReadonlySet<string> | undefined> {
  const env = ctx.env ?? process.env;
  if (RELOCATING.some((v) => env[v] !== undefined) || !isDirectory(join(ctx.gitRoot, '.git'))) return undefined;
  const rootRel = relative(ctx.gitRoot, ctx.rootAbs).split(sep).join('/');
  const prefix = rootRel === '' ? '' : rootRel + '/';
  const sources = fixedSources(ctx, env);
  if (sources === undefined || !addListed(sources, ctx.rootAbs, prefix, tracked)) return undefined;
  const asked = new Set<string>();
  const first = judge(sources, ctx.rootAbs, tracked, prefix, asked, env);
  first.catch(() => undefined); // awaited below
  const others = await untracked;
  if (others === undefined) return undefined;
  const more: IgnoreSource[] = [];
  if (!addListed(more, ctx.rootAbs, prefix, others)) return undefined;
  const [a, b] = await Promise.all([first, more.length ? judge(more, ctx.rootAbs, tracked, prefix, asked, env) : new Set<string>()]);
  return a && b && new Set([...a, ...b]);
}

/**
 * Which tracked paths git ignores among those the rules of `sources` could match (skipping the
 * paths in `asked`, and adding those it asks about).
 */
async function judge(sources: readonly IgnoreSource[], rootAbs: string, tracked: string, prefix: string, asked: Set<string>, env: NodeJS.ProcessEnv): Promise<ReadonlySet<string> | undefined> {
  let found: string[] | undefined;
  try {
    const superset = supersetRegex(sources, prefix);
    if (superset.rules === 0 || tracked === '') return new Set();
    found = matchedPaths(superset.regex, tracked, superset.fromRepositoryRoot ? prefix : '');
  } catch {
    return undefined; // an expression the engine refused (a rule read wrong here): git's own answer instead
  }
  if (found === undefined) return undefined;
  const candidates = found.filter((p) => !asked.has(p));
  for (const p of candidates) asked.add(p);
  if (candidates.length === 0) return new Set();
  // check-ignore reads its arguments as pathspecs, where a leading ':' starts "magic".
  if (candidates.some((p) => p.startsWith(':'))) return undefined;
  return checkIgnore(rootAbs, candidates, env, true);
}

/** Errors after which a file has no rules for git either: it is not there, or not a file git opens. */
const NO_RULES = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'EISDIR', 'EACCES']);

/**
 * Reads a file's rules into `sources`; false when this cannot be sure what git reads (a read
 * error other than NO_RULES, or text that is not UTF-8). In the work tree (`inTree`) a symlink
 * is not followed, as git (2.32 on) does not; nothing blocks on a FIFO put there.
 *
 * A tracked .gitignore missing from the work tree has no rules here, as for rg (git alone reads
 * it from the index, in sparse checkouts).
 */
function addSource(sources: IgnoreSource[], path: string, base: string, inTree: boolean): boolean {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (inTree ? (constants.O_NOFOLLOW ?? 0) : 0));
  } catch (e) {
    return NO_RULES.has((e as NodeJS.ErrnoException).code ?? '');
  }
  let bytes: Buffer;
  try {
    if (!fstatSync(fd).isFile()) return true; // a FIFO or a device: no rules (git would hang)
    bytes = readFileSync(fd);
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
  const text = decodeUtf8(bytes);
  if (text.includes('\uFFFD')) return false; // not UTF-8: paths are compared as git's bytes
  sources.push({ base, text });
  return true;
}

/**
 * The ignore files whatever the listings say: the global excludes file, .git/info/exclude, and
 * the .gitignore of the repository root and of every directory down to the search root.
 */
function fixedSources(ctx: IgnoreContext, env: NodeJS.ProcessEnv): IgnoreSource[] | undefined {
  const sources: IgnoreSource[] = [];
  const globalFile = ctx.excludesFile || defaultExcludesFile(env);
  if (globalFile !== undefined) {
    if (!isAbsolute(globalFile)) return undefined; // relative to what git's cwd was: not worth guessing
    if (!addSource(sources, globalFile, '', false)) return undefined;
  }
  if (!addSource(sources, join(ctx.gitRoot, '.git', 'info', 'exclude'), '', false)) return undefined;
  const chain: string[] = [];
  for (let d = ctx.rootAbs; ; d = dirname(d)) {
    chain.unshift(d);
    if (d === ctx.gitRoot || dirname(d) === d) break;
  }
  for (const d of chain) {
    const rel = relative(ctx.gitRoot, d).split(sep).join('/');
    if (!addSource(sources, join(d, '.gitignore'), rel === '' ? '' : rel + '/', true)) return undefined;
  }
  return sources;
}

/** Adds the .gitignore files a listing names below the search root; false as addSource. */
function addListed(sources: IgnoreSource[], rootAbs: string, prefix: string, listing: string): boolean {
  for (const path of namedGitignore(listing)) {
    if (!addSource(sources, join(rootAbs, path), prefix + path.slice(0, -'.gitignore'.length), true)) return false;
  }
  return true;
}

/** git's default global excludes file: $XDG_CONFIG_HOME/git/ignore, else ~/.config/git/ignore. */
function defaultExcludesFile(env: NodeJS.ProcessEnv): string | undefined {
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'git', 'ignore');
  const home = env.HOME ?? homedir();
  return home ? join(home, '.config', 'git', 'ignore') : undefined;
}

/**
 * Paths of a NUL-terminated listing named `.gitignore` below its root (not the root's own), in
 * any case: with core.ignoreCase (macOS, Windows) git reads `.GitIgnore` as the folder's
 * ignore file; elsewhere reading it too only adds candidates.
 */
function namedGitignore(listing: string): string[] {
  // The name, then back to the path's start: a pattern starting with the path (`[^\0]*`) would be
  // tried from every character of the 2 MB listing, each try running to the path's end.
  return Array.from(listing.matchAll(/\/\.gitignore(?=\0)/gi), (m) => listing.slice(listing.lastIndexOf('\0', m.index) + 1, m.index + '/.gitignore'.length));
}

/**
 * The paths of `listing` (relative to the search root; `prefix`, when the rules are written for
 * paths from the repository root, is put before each) that `regex` matches somewhere, or
 * undefined for more than MAX_CANDIDATES. One pass over the whole listing: testing 27k paths one
 * by one took ~90 ms, this ~20 ms.
 */
function matchedPaths(regex: RegExp, listing: string, prefix: string): string[] | undefined {
  const z = '\0' + (prefix === '' ? listing : prefix + listing.slice(0, -1).replaceAll('\0', '\0' + prefix) + '\0');
  const found: string[] = [];
  regex.lastIndex = 0;
  for (let m = regex.exec(z); m; m = regex.exec(z)) {
    const start = z.lastIndexOf('\0', m.index) + 1;
    const end = z.indexOf('\0', start);
    found.push(z.slice(start + prefix.length, end));
    if (found.length > MAX_CANDIDATES) return undefined;
    regex.lastIndex = end; // one match per path is enough
  }
  return found;
}

/**
 * Which of `paths` (relative to `cwd`) git ignores: `git check-ignore`; with `tracked`, with
 * `--no-index`, which judges tracked files too (plain check-ignore calls none of them ignored),
 * by the same rules `ls-files --ignored` applies.
 * It takes each argument as a path (no glob matching); the variables that would make it read
 * them otherwise are removed (it refuses GIT_LITERAL_PATHSPECS outright).
 */
export function checkIgnore(cwd: string, paths: readonly string[], env: NodeJS.ProcessEnv, tracked: boolean): Promise<ReadonlySet<string> | undefined> {
  return new Promise((resolve) => {
    const plain = Object.fromEntries(Object.entries(env).filter(([k]) => !/^GIT_\w*PATHSPECS$/.test(k)));
    const child = execFile('git', ['check-ignore', ...(tracked ? ['--no-index'] : []), '-z', '--stdin'], { cwd, env: plain, encoding: 'buffer', maxBuffer: 1 << 30 }, (err, stdout) => {
      // Exit 1 says none of them is ignored; anything else that is not 0 is a failure.
      if (err && (err as { code?: unknown }).code !== 1) return resolve(undefined);
      resolve(new Set(splitNul(decodeUtf8(stdout))));
    });
    child.stdin?.on('error', () => undefined); // git gone early (EPIPE): its exit code says so
    child.stdin?.end(paths.join('\0') + '\0');
  });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
