import { findLastTag, readCommitsSince } from '../../release/git-history.js';
import { renderReleaseNotes } from '../../release/release-notes.js';
import { suggestVersion, type MigrationClassInput, type VersionSuggestion } from '../../release/suggest-version.js';

/** What `notes` and `tag` share: the last tag, the commits since, the suggestion, the notes. */
export async function prepareRelease(opts: { cwd: string; since?: string; version?: string; migrations: readonly MigrationClassInput[]; clock: () => Date }): Promise<{ suggestion: VersionSuggestion; version: string; notes: string; commits: number }> {
  const since = opts.since ?? (await findLastTag(opts.cwd));
  const commits = await readCommitsSince(opts.cwd, since);
  const suggestion = suggestVersion(since, commits, opts.migrations);
  const version = opts.version ?? suggestion.next;
  return { suggestion, version, notes: renderReleaseNotes(version, commits, opts.migrations, opts.clock()), commits: commits.length };
}
