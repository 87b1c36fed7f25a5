import { findLastTag, readCommitsSince } from '../../release/git-history.js';
import { renderReleaseNotes } from '../../release/release-notes.js';
import { parseSemver } from '../../release/semver.js';
import { suggestVersion, type MigrationClassInput, type VersionSuggestion } from '../../release/suggest-version.js';

/** What `notes` and `tag` share: the last tag, the commits since, the suggestion, the notes. */
export async function prepareRelease(opts: { cwd: string; since?: string; version?: string; migrations: readonly MigrationClassInput[]; clock: () => Date }): Promise<{ suggestion: VersionSuggestion; version: string; notes: string; commits: number }> {
  const since = opts.since ?? (await findLastTag(opts.cwd));
  const commits = await readCommitsSince(opts.cwd, since);
  // `--since` may be any ref (a commit, a branch): the version it stands for is then the last
  // semver tag it contains, not 0.0.0.
  const base = since !== undefined && !parseSemver(since) ? await findLastTag(opts.cwd, since) : since;
  const suggestion = suggestVersion(base, commits, opts.migrations);
  const version = opts.version ?? suggestion.next;
  return { suggestion, version, notes: renderReleaseNotes(version, commits, opts.migrations, opts.clock()), commits: commits.length };
}
