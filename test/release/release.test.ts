import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConventionalCommit } from '../../src/release/conventional-commit.js';
import { renderReleaseNotes } from '../../src/release/release-notes.js';
import { suggestVersion } from '../../src/release/suggest-version.js';
import { tagRelease } from '../../src/release/tag-release.js';
import { missing } from '../support/audit-services.js';
import { runCli } from '../support/cli-run.js';
import { commitAll, gitIn, initRepo, makeTempDir } from '../support/temp-dir.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
const c = (msg: string, hash = 'abcdef1234567') => parseConventionalCommit(hash, msg);

describe('version suggestion', () => {
  it('feat → minor, fix → patch, ! or BREAKING CHANGE → major', () => {
    expect(suggestVersion('v1.2.3', [c('fix: a')]).next).toBe('v1.2.4');
    expect(suggestVersion('v1.2.3', [c('fix: a'), c('feat(api): b')]).next).toBe('v1.3.0');
    expect(suggestVersion('v1.2.3', [c('feat!: drop v1 endpoints')]).next).toBe('v2.0.0');
    expect(suggestVersion('1.2.3', [c('refactor: x\n\nBREAKING CHANGE: config renamed')]).next).toBe('2.0.0');
    expect(suggestVersion('v1.2.3', [c('chore: deps'), c('not conventional')])).toMatchObject({ next: 'v1.2.3', bump: 'none' });
    expect(suggestVersion(undefined, [c('feat: first')]).next).toBe('v0.1.0');
  });

  it('a breaking migration is never a patch', () => {
    const s = suggestVersion('v1.2.3', [c('fix: tiny')], [{ migration: '0007_drop_column.sql', class: 'breaking' }]);
    expect(s.next).toBe('v2.0.0');
    expect(s.reasons).toContain('breaking migration 0007_drop_column.sql → major (never a patch)');
    expect(suggestVersion('v0.4.1', [c('fix: tiny')], [{ migration: 'm', class: 'breaking' }]).next).toBe('v0.5.0');
    expect(suggestVersion('v1.2.3', [c('fix: tiny')], [{ migration: 'm', class: 'unknown' }]).next).toBe('v2.0.0');
    expect(suggestVersion('v1.2.3', [c('fix: tiny')], [{ migration: 'm', class: 'backward-compatible' }]).next).toBe('v1.2.4');
  });

  it('release notes are grouped: breaking changes, features, fixes, migration requirements', () => {
    const md = renderReleaseNotes(
      'v2.0.0',
      [c('feat(export): CSV export', '1111111aaaa'), c('fix: login redirect', '2222222bbbb'), c('feat!: new auth\n\nBREAKING CHANGE: tokens reissued', '3333333cccc'), c('chore: bump', '4444444dddd')],
      [{ migration: '0007_split_name.py', class: 'breaking' }, { migration: '0006_add_index.py', class: 'backward-compatible' }, { migration: 'x', class: 'none' }],
      new Date('2026-11-21T00:00:00Z'),
    );
    expect(md).toBe(
      [
        '## v2.0.0 (2026-11-21)',
        '',
        '### Breaking changes',
        '',
        '- new auth (3333333)\n  tokens reissued',
        '',
        '### New features',
        '',
        '- **export:** CSV export (1111111)',
        '',
        '### Fixes',
        '',
        '- login redirect (2222222)',
        '',
        '### Migration requirements',
        '',
        '- **0007_split_name.py** is breaking: needs a staged (expand/contract) rollout and a verified backup before it runs',
        '- 0006_add_index.py (backward-compatible): apply before the new code starts',
        '',
      ].join('\n'),
    );
  });
});

describe.skipIf(missing('git'))('git tag', () => {
  it('creates an annotated tag, pushes it to a real (local bare) remote, verifies with git describe', async () => {
    const t = makeTempDir();
    cleanups.push(t.cleanup);
    const remote = join(t.dir, 'remote.git');
    const work = join(t.dir, 'work');
    gitIn(t.dir, 'init', '-q', '--bare', remote);
    gitIn(t.dir, 'init', '-q', '-b', 'main', work);
    writeFileSync(join(work, 'a.txt'), '1\n');
    commitAll(work, 'feat: first');
    gitIn(work, 'tag', '-a', 'v1.0.0', '-m', 'Release v1.0.0');
    writeFileSync(join(work, 'a.txt'), '2\n');
    commitAll(work, 'fix: second');
    gitIn(work, 'remote', 'add', 'origin', remote);
    const notes = await runCli(['notes', '--suggest'], { cwd: work });
    expect(notes.stdout).toMatch(/^v1\.0\.1 \(patch from v1\.0\.0\)\n  fix: second \([0-9a-f]{7}\) → patch\n$/);
    const r = await runCli(['tag'], { cwd: work });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tagged v1.0.1');
    expect(r.stdout).toContain('pushed to origin');
    expect(gitIn(work, 'describe', '--tags', '--abbrev=0').trim()).toBe('v1.0.1');
    expect(gitIn(work, 'cat-file', '-t', 'v1.0.1').trim()).toBe('tag'); // annotated
    expect(gitIn(remote, 'tag', '--list').split('\n')).toContain('v1.0.1');
    const again = await runCli(['tag', 'v1.0.1'], { cwd: work });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('SG_TAG_EXISTS');
    expect((await runCli(['tag', 'release-1'], { cwd: work })).stderr).toContain('SG_TAG_NOT_SEMVER');
    expect((await runCli(['tag'], { cwd: work })).stderr).toContain('SG_NOTHING_TO_RELEASE');
  });

  it('without a remote the tag is local only; a push failure is exit 1 naming the fix', async () => {
    const t = makeTempDir();
    cleanups.push(t.cleanup);
    initRepo(t.dir);
    commitAll(t.dir, 'feat: x');
    const r = await tagRelease({ cwd: t.dir, version: 'v0.1.0' });
    expect(r.pushedTo).toBeUndefined();
    expect(r.described).toBe('v0.1.0');
    gitIn(t.dir, 'remote', 'add', 'origin', join(t.dir, 'does-not-exist.git'));
    commitAll(t.dir, 'fix: y');
    const bad = await runCli(['tag', 'v0.1.1'], { cwd: t.dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('SG_TAG_PUSH_FAILED');
    expect(bad.stderr).toContain('git push origin v0.1.1');
  });

  it('a failed git command says what is wrong: an unknown ref, no repository, no commit yet', async () => {
    const t = makeTempDir();
    cleanups.push(t.cleanup);
    const hint = async (argv: string[]) => (await runCli(argv, { cwd: t.dir })).stderr.split('\n').find((l) => l.startsWith('  → '));
    expect(await hint(['notes'])).toBe('  → run it inside a git work tree (cd into the repository, or `git init` and commit)');
    initRepo(t.dir);
    expect(await hint(['notes'])).toBe('  → commit first: the repository has no commits yet');
    commitAll(t.dir, 'feat: x');
    const r = await runCli(['notes', '--since', 'v9.9.9'], { cwd: t.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error SG_GIT_FAILED: git log --reverse --format=%H%x1f%B%x1e v9.9.9..HEAD failed");
    expect(r.stderr).toContain('  → `v9.9.9` is not a ref in this repository: check the spelling (`git branch -a`, `git tag`), or fetch it (`git fetch --all --tags`');
  });
});
