import type { ParsedCommit } from './conventional-commit.js';
import { bumpSemver, formatSemver, maxBump, parseSemver, type Bump, type SemVer } from './semver.js';

/**
 * A migration's class, as the migration analyzer (issue #4) reports it. This is the whole seam:
 * the analyzer's output is mapped to a list of these and passed in.
 */
export interface MigrationClassInput {
  readonly migration: string;
  /** `unknown`: the analyzer could not classify it; treated like `breaking` (not proven safe). */
  readonly class: 'none' | 'backward-compatible' | 'breaking' | 'unknown';
}

export interface VersionSuggestion {
  readonly previous: string | undefined;
  readonly next: string;
  readonly bump: Bump;
  /** Why, one line per reason (e.g. `feat: add export (abc1234) → minor`). */
  readonly reasons: readonly string[];
}

/**
 * Suggests the next version from conventional commits since the last tag and from migration
 * classes: feat → minor, fix/perf → patch, `!` or BREAKING CHANGE → major; a breaking migration
 * is never a patch (major from 1.0.0 on; minor below 1.0.0, where semver lets minor break).
 * Below 1.0.0 a breaking commit is also a minor. With no previous tag the base is 0.0.0 and the
 * prefix `v`. After a pre-release (`v1.4.0-rc.1`) a change no bigger than it implies gives its
 * release (`v1.4.0`). Nothing to release → bump `none` and `next` = previous.
 */
export function suggestVersion(previousTag: string | undefined, commits: readonly ParsedCommit[], migrations: readonly MigrationClassInput[] = []): VersionSuggestion {
  const base: SemVer = (previousTag && parseSemver(previousTag)) || { prefix: 'v', major: 0, minor: 0, patch: 0 };
  const pre1 = base.major === 0;
  const breakingBump: Bump = pre1 ? 'minor' : 'major';
  let bump: Bump = 'none';
  const reasons: string[] = [];
  for (const c of commits) {
    const b: Bump = c.breaking ? breakingBump : c.type === 'feat' ? 'minor' : c.type === 'fix' || c.type === 'perf' ? 'patch' : 'none';
    if (b !== 'none') reasons.push(`${c.type}${c.breaking ? '!' : ''}: ${c.subject} (${c.hash.slice(0, 7)}) → ${b}`);
    bump = maxBump(bump, b);
  }
  for (const m of migrations) {
    if (m.class === 'breaking' || m.class === 'unknown') {
      reasons.push(`${m.class === 'breaking' ? 'breaking' : 'unclassified (treated as breaking)'} migration ${m.migration} → ${breakingBump} (never a patch)`);
      bump = maxBump(bump, breakingBump);
    } else if (m.class === 'backward-compatible') {
      reasons.push(`backward-compatible migration ${m.migration} → patch at least`);
      bump = maxBump(bump, 'patch');
    }
  }
  const next = formatSemver(bumpSemver(base, bump));
  // Say why it is not X.Y.Z+1: the pre-release already stood for this release.
  if (base.prerelease && bump !== 'none' && next === formatSemver({ ...base, prerelease: undefined })) reasons.push(`${previousTag} is a pre-release of ${next} → ${next}`);
  return { previous: previousTag, next, bump, reasons };
}
