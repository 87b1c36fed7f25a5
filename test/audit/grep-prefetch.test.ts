import { chmodSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { grepFiles } from '../../src/audit/grep/grep-files.js';
import { shipgate, ROOT } from '../support/cli.js';
import { gitIn, initRepo, useTempTrees } from '../support/temp-dir.js';

const tree = useTempTrees(afterEach);
const prefetcher = createRequire(import.meta.url)(join(ROOT, 'bin', 'grep-prefetch.js')) as {
  prefetch(args: string[]): void;
  roots(args: string[]): string[] | undefined;
};
const started = (): Map<string, unknown> | undefined => (globalThis as { __shipgateGitPrefetch?: Map<string, unknown> }).__shipgateGitPrefetch;

describe('audit grep: git listings started by bin/ before the CLI loads', () => {
  afterEach(() => {
    delete (globalThis as { __shipgateGitPrefetch?: unknown }).__shipgateGitPrefetch;
  });

  it('finds the search roots in `audit grep` arguments, and gives up on anything it does not know', () => {
    expect(prefetcher.roots(['TODO'])).toEqual([resolve('.')]);
    expect(prefetcher.roots(['--json', '-i', 'TODO', 'src', 'docs'])).toEqual([resolve('src'), resolve('docs')]);
    expect(prefetcher.roots(['--allow', 'docs/**', 'TODO', '--threads=2', 'lib'])).toEqual([resolve('lib')]);
    expect(prefetcher.roots(['--', '-x', 'a'])).toEqual([resolve('a')]);
    expect(prefetcher.roots(['TODO', '--no-ignore'])).toBeUndefined(); // no git listing then
    expect(prefetcher.roots(['TODO', '--help'])).toBeUndefined();
    expect(prefetcher.roots(['TODO', '--bogus'])).toBeUndefined();
    expect(prefetcher.roots(['TODO', 'a', 'b', 'c', 'd', 'e'])).toBeUndefined(); // too many to start
    expect(prefetcher.roots([])).toBeUndefined();
  });

  it('the search takes every listing it started (the commands agree) and finds what it finds without them', async () => {
    const dir = tree({ '.gitignore': 'out/\n', 'a.txt': 'NEEDLE\n', 'out/b.txt': 'NEEDLE\n', 'c.txt': 'NEEDLE untracked\n' });
    initRepo(dir);
    gitIn(dir, 'add', 'a.txt', '.gitignore');
    gitIn(dir, 'add', '-f', 'out/b.txt'); // tracked but ignored: rg skips it
    const plain = await grepFiles('NEEDLE', [dir], { cwd: dir, native: false });
    prefetcher.prefetch(['NEEDLE', dir]);
    expect(started()?.size).toBe(3);
    const withPrefetch = await grepFiles('NEEDLE', [dir], { cwd: dir, native: false });
    expect(started()?.size).toBe(0);
    expect(withPrefetch).toEqual(plain);
    expect(plain.hits.map((h) => h.file.slice(dir.length + 1))).toEqual(['a.txt', 'c.txt']);
  });

  it('a listing started for other paths is not taken; a command that fails early does not wait for git', async () => {
    const dir = tree({ 'a.txt': 'NEEDLE\n', 'sub/b.txt': 'NEEDLE\n' });
    initRepo(dir);
    prefetcher.prefetch(['NEEDLE', join(dir, 'sub')]);
    const r = await grepFiles('NEEDLE', [dir], { cwd: dir, native: false });
    expect(r.hits).toHaveLength(2);
    expect(started()?.size).toBe(3); // untouched
    const bad = await shipgate(['audit', 'grep', 'ab(c', '.'], { cwd: dir });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('SG_AUDIT_BAD_REGEX');
  });

  it('listings nobody took are stopped when shipgate exits (a slow git, here a script that sleeps)', async () => {
    const dir = tree({ 'a.txt': 'NEEDLE\n', 'bin/git': '#!/bin/sh\necho $$ >> "$PIDS"\nexec sleep 30\n' });
    chmodSync(join(dir, 'bin', 'git'), 0o755);
    const pids = join(dir, 'pids');
    // `. ./` names one folder twice: its listings start once (a second start orphaned the first).
    const bad = await shipgate(['audit', 'grep', 'ab(c', '.', './'], { cwd: dir, env: { PATH: `${join(dir, 'bin')}:${process.env.PATH}`, PIDS: pids } });
    expect(bad.exitCode).toBe(2);
    const started = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    expect(started).toHaveLength(3);
    // Running means a process that is neither gone nor a zombie waiting for its reaper.
    const running = (pid: number): boolean => {
      try {
        return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 20 && started.some(running); i++) await new Promise((r) => setTimeout(r, 100));
    expect(started.filter(running)).toEqual([]);
  });
});
