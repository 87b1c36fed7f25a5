import type { ParsedCommit } from './conventional-commit.js';
import type { MigrationClassInput } from './suggest-version.js';

/**
 * Release notes in Markdown, grouped: breaking changes, new features, fixes, migration
 * requirements. Other commit types (chore, docs, ci, …) are left out, as in changelogs people
 * read; an empty group is omitted, and a release with nothing says so.
 */
export function renderReleaseNotes(version: string, commits: readonly ParsedCommit[], migrations: readonly MigrationClassInput[], date: Date): string {
  const line = (c: ParsedCommit) => `- ${c.scope ? `**${c.scope}:** ` : ''}${c.subject} (${c.hash.slice(0, 7)})`;
  const breaking = commits.filter((c) => c.breaking);
  const feats = commits.filter((c) => c.type === 'feat' && !c.breaking);
  const fixes = commits.filter((c) => (c.type === 'fix' || c.type === 'perf') && !c.breaking);
  const migs = migrations.filter((m) => m.class !== 'none');
  const out = [`## ${version} (${date.toISOString().slice(0, 10)})`, ''];
  const group = (title: string, items: string[]) => {
    if (items.length) out.push(`### ${title}`, '', ...items, '');
  };
  group(
    'Breaking changes',
    breaking.map((c) => line(c) + (c.breakingNote ? `\n  ${c.breakingNote.replace(/\n/g, '\n  ')}` : '')),
  );
  group('New features', feats.map(line));
  group('Fixes', fixes.map(line));
  group(
    'Migration requirements',
    migs.map((m) =>
      m.class === 'breaking'
        ? `- **${m.migration}** is breaking: needs a staged (expand/contract) rollout and a verified backup before it runs`
        : m.class === 'unknown'
          ? `- **${m.migration}** could not be classified: review it as breaking (staged rollout, verified backup)`
          : `- ${m.migration} (backward-compatible): apply before the new code starts`,
    ),
  );
  if (out.length === 2) out.push('No user-facing changes.', '');
  return out.join('\n');
}
