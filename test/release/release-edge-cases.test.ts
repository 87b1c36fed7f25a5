import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConventionalCommit } from '../../src/release/conventional-commit.js';
import { suggestVersion } from '../../src/release/suggest-version.js';
import { missing } from '../support/audit-services.js';
import { runCli } from '../support/cli-run.js';
import { commitAll, gitIn, initRepo, makeTempDir } from '../support/temp-dir.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
const c = (msg: string, hash = 'abcdef1234567') => parseConventionalCommit(hash, msg);

/** A repository in a temp dir with one commit per message; `tag` tags the commit before it. */
function repo(...steps: Array<string | { tag: string }>): string {
  const t = makeTempDir('sg-release-');
  cleanups.push(t.cleanup);
  initRepo(t.dir);
  for (const s of steps) {
    if (typeof s === 'string') commitAll(t.dir, s);
    else gitIn(t.dir, 'tag', '-a', s.tag, '-m', s.tag);
  }
  return t.dir;
}

describe('a pre-release tag is the base of its own release', () => {
  it('fix or feat after X.Y.Z-rc gives X.Y.Z; a bigger change than the pre-release implies bumps from it', () => {
    expect(suggestVersion('v1.4.0-rc.1', [c('fix: a')]).next).toBe('v1.4.0');
    expect(suggestVersion('v1.4.0-rc.1', [c('feat: a')]).next).toBe('v1.4.0');
    expect(suggestVersion('v1.4.0-rc.1', [c('feat!: a')]).next).toBe('v2.0.0');
    expect(suggestVersion('v2.0.0-beta.3', [c('feat!: a')]).next).toBe('v2.0.0');
    expect(suggestVersion('v1.4.1-rc.1', [c('fix: a')]).next).toBe('v1.4.1');
    expect(suggestVersion('v1.4.1-rc.1', [c('feat: a')]).next).toBe('v1.5.0');
    expect(suggestVersion('v0.3.0-rc.1', [c('feat!: a')]).next).toBe('v0.3.0'); // below 1.0.0 breaking is a minor
    expect(suggestVersion('v1.4.0-rc.1', [c('chore: a')])).toMatchObject({ next: 'v1.4.0-rc.1', bump: 'none' });
  });
});

describe('a multi-line BREAKING CHANGE footer', () => {
  it('keeps the whole paragraph, up to a blank line or the next footer token', () => {
    const msg = 'feat!: new auth\n\nBody text.\n\nBREAKING CHANGE: tokens are reissued;\nevery client must log in again\nand drop its cache.\nRefs: #12\n\nMore.';
    expect(c(msg).breakingNote).toBe('tokens are reissued;\nevery client must log in again\nand drop its cache.');
    expect(c('fix: x\n\nBREAKING-CHANGE: one\ntwo\n\nthree').breakingNote).toBe('one\ntwo');
    expect(c('fix: x\n\nBREAKING CHANGE: only line').breakingNote).toBe('only line');
  });
});

describe.skipIf(missing('git'))('tags, flags and remotes (real repositories)', () => {
  it('ignores a newer tag that is not semver: the base is the newest semver tag reachable from HEAD', async () => {
    const dir = repo('feat: one', { tag: 'v2.3.0' }, 'chore: deploy', { tag: 'deploy-prod-20241101' }, 'fix: after deploy');
    const s = await runCli(['notes', '--suggest'], { cwd: dir });
    expect(s.stdout).toMatch(/^v2\.3\.1 \(patch from v2\.3\.0\)\n/);
    const r = await runCli(['tag', '--no-push'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('tagged v2.3.1');
    expect(gitIn(dir, 'tag', '--list', 'v0.*')).toBe('');
  });

  it('notes --since a ref that is not a tag: the version it stands for is its last semver tag, not 0.0.0', async () => {
    const dir = repo('feat: one', { tag: 'v2.3.0' }, 'chore: deploy', 'fix: after deploy');
    const since = gitIn(dir, 'rev-parse', 'HEAD~1').trim();
    const s = await runCli(['notes', '--suggest', '--since', since], { cwd: dir });
    expect(s.stdout).toMatch(/^v2\.3\.1 \(patch from v2\.3\.0\)\n/);
  });

  it('takes the highest semver tag, not the nearest, and ignores tags on other branches', async () => {
    const dir = repo('feat: one', { tag: 'v1.0.0' }, 'feat: two', { tag: 'v1.1.0' });
    gitIn(dir, 'checkout', '-q', '-b', 'other');
    commitAll(dir, 'feat: elsewhere');
    gitIn(dir, 'tag', '-a', 'v9.0.0', '-m', 'v9.0.0');
    gitIn(dir, 'checkout', '-q', 'main');
    gitIn(dir, 'tag', '-a', 'v1.0.1', '-m', 'late hotfix tag on the newest commit');
    commitAll(dir, 'fix: z');
    expect((await runCli(['notes', '--suggest'], { cwd: dir })).stdout).toMatch(/^v1\.1\.1 \(patch from v1\.1\.0\)\n/);
  });

  it('after a pre-release tag, notes --suggest gives the release itself', async () => {
    const dir = repo('feat: one', { tag: 'v1.3.0' }, 'feat: two', { tag: 'v1.4.0-rc.1' }, 'fix: three');
    expect((await runCli(['notes', '--suggest'], { cwd: dir })).stdout).toMatch(/^v1\.4\.0 \(patch from v1\.4\.0-rc\.1\)\n/);
  });

  it('notes --version V sets the heading (the subcommand flag, not the program version)', async () => {
    const dir = repo('feat: one', { tag: 'v1.0.0' }, 'feat!: two');
    for (const argv of [['notes', '--version', 'v2.0.0'], ['notes', '--version=v2.0.0']]) {
      const r = await runCli(argv, { cwd: dir });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^## v2\.0\.0 \(\d{4}-\d\d-\d\d\)\n/);
    }
    expect((await runCli(['--version'], { cwd: dir })).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('tag --remote NAME that does not exist: exit 2 naming it, no tag created', async () => {
    const dir = repo('feat: one', { tag: 'v1.0.0' }, 'fix: two');
    const r = await runCli(['tag', '--remote', 'nope'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error SG_TAG_NO_REMOTE: ');
    expect(r.stderr).toContain('"nope"');
    expect(gitIn(dir, 'tag', '--list')).toBe('v1.0.0\n');
  });

  it('a failed push says so with git\'s message and the command to push by hand', async () => {
    const dir = repo('feat: one', { tag: 'v1.0.0' }, 'fix: two');
    gitIn(dir, 'remote', 'add', 'backup', join(dir, 'missing.git'));
    const r = await runCli(['tag', '--remote', 'backup'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error SG_TAG_PUSH_FAILED: tag v1.0.1 was created locally but pushing it to backup failed: ');
    expect(r.stderr).toMatch(/does not appear to be a git repository|Could not read from remote/);
    expect(r.stderr).toContain('git push backup v1.0.1');
  });
});
