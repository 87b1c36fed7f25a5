import { UserError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { describeTag, git } from './git-history.js';
import { parseSemver } from './semver.js';

export interface TagOptions {
  readonly cwd: string;
  /** The version to tag, e.g. `v1.4.0`. Must be semver. */
  readonly version: string;
  /** The annotation. Default: `Release VERSION`. */
  readonly message?: string;
  /** Push the tag when a remote exists. Default: true. */
  readonly push?: boolean;
  /** Which remote. Default: `origin`, else the first remote listed. */
  readonly remote?: string;
}

export interface TagResult {
  readonly tag: string;
  readonly commit: string;
  /** The remote the tag was pushed to; undefined when there is none (or push was off). */
  readonly pushedTo?: string;
  /** What `git describe --tags --abbrev=0` printed afterwards: must equal `tag`. */
  readonly described: string;
}

const REASON = /^(?:fatal|error|remote):|^! \[/;

/**
 * Creates an annotated semver tag on HEAD, pushes it when a remote exists, and verifies it with
 * `git describe --tags --abbrev=0` (the check the ChefCloud runbook does by hand).
 *
 * @throws UserError SG_TAG_NOT_SEMVER, SG_TAG_EXISTS, SG_TAG_NO_REMOTE (nothing created), SG_TAG_PUSH_FAILED,
 *   SG_TAG_NOT_DESCRIBED.
 */
export async function tagRelease(opts: TagOptions): Promise<TagResult> {
  const { cwd, version } = opts;
  if (!parseSemver(version)) throw new UserError('SG_TAG_NOT_SEMVER', `"${version}" is not a semver version (like v1.4.0)`, 'run `shipgate notes --suggest` to get the next version');
  const exists = await git(cwd, ['rev-parse', '-q', '--verify', `refs/tags/${version}`], { allowFail: true });
  if (exists.exitCode === 0) throw new UserError('SG_TAG_EXISTS', `tag ${version} already exists`, 'choose the next version (`shipgate notes --suggest`)');
  // Which remote, checked before the tag exists: a misspelt --remote used to leave a local tag
  // behind, after which a rerun found nothing to release.
  let remote: string | undefined;
  if (opts.push ?? true) {
    const remotes = (await git(cwd, ['remote'])).stdout.split('\n').filter(Boolean);
    remote = opts.remote ?? (remotes.includes('origin') ? 'origin' : remotes[0]);
    if (remote && !remotes.includes(remote)) {
      throw new UserError('SG_TAG_NO_REMOTE', `there is no remote "${remote}" in this repository (remotes: ${remotes.join(', ') || 'none'})`, `check the name with \`git remote -v\`, or tag without pushing: shipgate tag ${version} --no-push`);
    }
  }
  await git(cwd, ['tag', '-a', version, '-m', opts.message ?? `Release ${version}`]);
  const commit = (await git(cwd, ['rev-parse', 'HEAD'])).stdout.trim();
  if (remote) {
    const r = await git(cwd, ['push', remote, `refs/tags/${version}`], { allowFail: true });
    if (r.exitCode !== 0) {
      // git's own reason: its `fatal:`/`error:` lines and a rejected ref (` ! [rejected] …`),
      // not the `To URL` and `hint:` lines around them.
      const lines = r.stderr.split('\n').map((l) => l.trim()).filter(Boolean);
      const why = (lines.some((l) => REASON.test(l)) ? lines.filter((l) => REASON.test(l)) : lines).join(' / ') || `exit ${r.exitCode}`;
      throw new UserError(
        'SG_TAG_PUSH_FAILED',
        `tag ${version} was created locally but pushing it to ${remote} failed: ${why}`,
        `the tag stays local (a rerun of shipgate tag will not push it): fix access to ${remote}, then run: git push ${remote} ${version}`,
        ExitCode.Failed,
      );
    }
  }
  const described = (await describeTag(cwd)) ?? '';
  if (described !== version) {
    throw new UserError('SG_TAG_NOT_DESCRIBED', `git describe --tags --abbrev=0 prints "${described}", not ${version}`, 'another tag points at HEAD or a newer tag exists; inspect with: git tag --points-at HEAD', ExitCode.Failed);
  }
  return { tag: version, commit, described, ...(remote ? { pushedTo: remote } : {}) };
}
