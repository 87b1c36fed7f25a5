import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/**
 * One directory's ignore rules. `base` is the directory relative to the anchor (the git root,
 * or the search root outside git), in POSIX form, '' for the anchor itself.
 */
export interface IgnoreLayer {
  readonly base: string;
  readonly rules: Ignore;
  /** Has `!pattern` rules. Without them a layer can only ignore, and the cheaper `ignores()` does. */
  readonly negates: boolean;
}

/**
 * Files whose rules apply to their directory and below, lowest precedence first. `.ignore` and
 * `.rgignore` are ripgrep's own ignore files; honouring them keeps hits identical to `rg`.
 */
const IGNORE_FILES = ['.gitignore', '.ignore', '.rgignore'];

/** Reads a directory's ignore files into a layer; undefined when it has none. */
export function loadIgnoreLayer(dirAbs: string, base: string): IgnoreLayer | undefined {
  let rules: Ignore | undefined;
  let negates = false;
  for (const name of IGNORE_FILES) {
    const text = readIfFile(join(dirAbs, name));
    if (text === undefined) continue;
    rules ??= ignore({ allowRelativePaths: true });
    rules.add(text);
    negates ||= /^\s*!/m.test(text);
  }
  return rules ? { base, rules, negates } : undefined;
}

/**
 * Finds the git root above `dir` (a directory holding `.git`), or undefined outside git.
 * Rules from the root down to the search root apply, as they do for git and rg.
 */
export function findGitRoot(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    try {
      statSync(join(d, '.git'));
      return d;
    } catch {
      if (dirname(d) === d) return undefined;
    }
  }
}

/**
 * The layers that apply to a search root: `.git/info/exclude` (lowest), then the ignore files
 * of every directory from the git root down to (and including) the root itself.
 */
export function initialLayers(rootAbs: string): { anchor: string; layers: IgnoreLayer[] } {
  const gitRoot = findGitRoot(rootAbs);
  const anchor = gitRoot ?? rootAbs;
  const layers: IgnoreLayer[] = [];
  if (gitRoot) {
    const exclude = readIfFile(join(gitRoot, '.git', 'info', 'exclude'));
    if (exclude) layers.push({ base: '', rules: ignore({ allowRelativePaths: true }).add(exclude), negates: /^\s*!/m.test(exclude) });
  }
  const rel = relative(anchor, rootAbs);
  const parts = rel === '' ? [] : rel.split(sep);
  let dir = anchor;
  let base = '';
  for (let i = 0; i <= parts.length; i++) {
    const layer = loadIgnoreLayer(dir, base);
    if (layer) layers.push(layer);
    if (i < parts.length) {
      dir = join(dir, parts[i]!);
      base = base ? `${base}/${parts[i]}` : parts[i]!;
    }
  }
  return { anchor, layers };
}

/**
 * Is `path` (POSIX, relative to the anchor) ignored? The deepest layer with an opinion wins,
 * so a nested `.gitignore` can re-include (`!name`) what a parent excluded, as in git.
 */
export function isIgnored(layers: readonly IgnoreLayer[], path: string, isDir: boolean): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    let rel: string;
    if (layer.base === '') rel = path;
    else if (path.startsWith(layer.base + '/')) rel = path.slice(layer.base.length + 1);
    else continue;
    const p = isDir ? rel + '/' : rel;
    if (!layer.negates) {
      if (layer.rules.ignores(p)) return true;
      continue;
    }
    const r = layer.rules.test(p);
    if (r.ignored) return true;
    if (r.unignored) return false;
  }
  return false;
}

function readIfFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
