import { execa } from 'execa';
import { UserError } from '../core/errors.js';
import { parseConventionalCommit, type ParsedCommit } from './conventional-commit.js';
import { gitFailureHint } from './git-failure-hint.js';
import { compareSemver, parseSemver, type SemVer } from './semver.js';

/** Runs git in `cwd`; a failure is a UserError naming the command and git's message. */
export async function git(cwd: string, args: readonly string[], opts: { allowFail?: boolean } = {}): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const r = await execa('git', [...args], { cwd, reject: false, stdin: 'ignore' });
  if (r.failed && !opts.allowFail) {
    const stderr = String(r.stderr).trim();
    throw new UserError('SG_GIT_FAILED', `git ${args.join(' ')} failed in ${cwd}: ${stderr.split('\n')[0] || `exit ${r.exitCode}`}`, gitFailureHint(stderr, args));
  }
  return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? 1 };
}

/** Whether `ref` names a commit in the repository at `cwd` (`git rev-parse --verify REF^{commit}`). */
export async function refExists(cwd: string, ref: string): Promise<boolean> {
  const r = await git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { allowFail: true });
  return r.exitCode === 0;
}

/**
 * The highest semver tag reachable from `rev` (`git tag --merged`), or undefined: the base of the
 * next version. Not `git describe`, which names the nearest tag of any kind, so a later
 * `deploy-prod-20241101` made the base 0.0.0, and a hotfix tag merged back could shadow a higher one.
 */
export async function findLastTag(cwd: string, rev = 'HEAD'): Promise<string | undefined> {
  // A failure (no repository, no commit yet) is left to the `git log` that follows, whose
  // message gitFailureHint knows.
  const r = await git(cwd, ['tag', '--merged', rev], { allowFail: true });
  let best: { tag: string; v: SemVer } | undefined;
  for (const tag of r.stdout.split('\n')) {
    const v = parseSemver(tag);
    if (v && (!best || compareSemver(v, best.v) > 0)) best = { tag: tag.trim(), v };
  }
  return best?.tag;
}

/** What `git describe --tags --abbrev=0` prints for HEAD (the nearest tag of any kind), or undefined. */
export async function describeTag(cwd: string): Promise<string | undefined> {
  const r = await git(cwd, ['describe', '--tags', '--abbrev=0'], { allowFail: true });
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

/** Commits in `since..HEAD` (all of HEAD's history when `since` is undefined), oldest first. */
export async function readCommitsSince(cwd: string, since: string | undefined): Promise<ParsedCommit[]> {
  const range = since ? `${since}..HEAD` : 'HEAD';
  const r = await git(cwd, ['log', '--reverse', '--format=%H%x1f%B%x1e', range]);
  return r.stdout
    .split('\x1e')
    .map((s) => s.replace(/^\n/, ''))
    .filter((s) => s.includes('\x1f'))
    .map((s) => {
      const [hash, msg] = s.split('\x1f');
      return parseConventionalCommit(hash!.trim(), (msg ?? '').trim());
    });
}
