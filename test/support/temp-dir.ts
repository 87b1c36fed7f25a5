import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

/** A fresh temp dir per test; returns it and a cleanup (call in afterEach / onTestFinished). */
export function makeTempDir(prefix = 'sg-audit-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * `tree({ 'a/b.txt': 'text' })` writes the files into a fresh temp dir and returns it; every dir
 * made is removed after each test (pass vitest's afterEach).
 */
export function useTempTrees(afterEach: (fn: () => void) => void): (files: Record<string, string | Buffer>) => string {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    while (cleanups.length) cleanups.pop()!();
  });
  return (files) => {
    const t = makeTempDir();
    cleanups.push(t.cleanup);
    for (const [p, c] of Object.entries(files)) {
      mkdirSync(join(t.dir, p, '..'), { recursive: true });
      writeFileSync(join(t.dir, p), c);
    }
    return t.dir;
  };
}

/** Runs git in `cwd` with a fixed identity; returns stdout. */
export function gitIn(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
  });
}

export function initRepo(dir: string): void {
  gitIn(dir, 'init', '-q', '-b', 'main');
}

export function commitAll(dir: string, message: string): string {
  gitIn(dir, 'add', '-A');
  gitIn(dir, 'commit', '-q', '--allow-empty', '-m', message);
  return gitIn(dir, 'rev-parse', 'HEAD').trim();
}
