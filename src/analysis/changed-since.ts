import path from 'node:path';
import { execa } from 'execa';
import { UserError } from '../core/errors.js';

/**
 * Files added or changed since a git ref, relative to `cwd` (forward slashes): `git diff
 * --name-only REF` (committed and working-tree changes) plus untracked files, because a
 * migration just generated is usually not committed yet.
 */
export async function changedFilesSince(ref: string, opts: { cwd: string; signal?: AbortSignal }): Promise<Set<string>> {
  const git = (args: string[]) => execa('git', args, { cwd: opts.cwd, reject: false, ...(opts.signal ? { cancelSignal: opts.signal } : {}) });
  const top = await git(['rev-parse', '--show-toplevel']);
  if (top.exitCode !== 0) throw new UserError('SG_MIGRATIONS_NOT_GIT', `--since ${ref}: ${opts.cwd} is not inside a git repository`, 'run it inside the repository, or drop --since');
  // -z: without it git quotes names with non-ASCII bytes, which would then match no migration.
  const diff = await git(['diff', '-z', '--name-only', '--no-renames', '--diff-filter=ACMRT', ref, '--']);
  if (diff.exitCode !== 0) {
    throw new UserError('SG_MIGRATIONS_BAD_REF', `--since ${ref}: git diff failed: ${String(diff.stderr).trim().split('\n')[0]}`, `git rev-parse --verify ${ref}`);
  }
  const untracked = await git(['ls-files', '-z', '--others', '--exclude-standard', '--full-name']);
  const root = String(top.stdout).trim();
  const out = new Set<string>();
  for (const name of [...String(diff.stdout).split('\0'), ...String(untracked.stdout).split('\0')]) {
    if (!name) continue;
    out.add(path.relative(opts.cwd, path.join(root, name)).split(path.sep).join('/'));
  }
  return out;
}
