import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { grepFiles } from '../../src/audit/grep/grep-files.js';
import { listGitFiles } from '../../src/audit/grep/list-git-files.js';
import { requiredLiterals } from '../../src/audit/grep/required-literals.js';
import { missing } from '../support/audit-services.js';
import { commitAll, gitIn, initRepo, useTempTrees } from '../support/temp-dir.js';

// The git listing (list-git-files.ts) must choose exactly the files rg chooses; these trees hold
// the cases where `git ls-files` and rg disagree unless handled.

const tree = useTempTrees(afterEach);

/** `file:line:col` of every hit, as rg -n --column prints them (sorted; rg's order is not stable). */
function rgHits(dir: string, args: string[]): string[] {
  let out = '';
  try {
    out = execFileSync('rg', ['-n', '--column', ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    out = String((e as { stdout: string }).stdout);
  }
  return out.split('\n').filter(Boolean).map((l) => l.replace(/^\.\//, '').split(':').slice(0, 3).join(':')).sort();
}
const ours = (r: { hits: readonly { file: string; line: number; column: number }[] }) => r.hits.map((h) => `${h.file}:${h.line}:${h.column}`).sort();

describe('audit grep: git listing', () => {
  it.skipIf(missing('git') || missing('rg'))('equals rg on a repository with tracked-but-ignored, symlinked, hidden, deleted, nested-repo and BOM files', async () => {
    const dir = tree({
      '.gitignore': 'build/\n*.log\n',
      'build/tracked.txt': 'NEEDLE tracked but ignored\n',
      'src/forced.log': 'NEEDLE force-added, ignored by pattern\n',
      'src/a.ts': 'x\nconst NEEDLE = 1\n',
      'src/gone.ts': 'NEEDLE deleted from the work tree\n',
      'src/bom.ts': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('export NEEDLE\n')]),
      'a/c.txt': 'NEEDLE\n',
      'a.txt': 'NEEDLE\n',
      '.github/ci.yml': 'NEEDLE hidden\n',
      'untracked.md': 'NEEDLE untracked, not ignored\n',
      'bin.dat': Buffer.from('NEEDLE\0\n'),
    });
    initRepo(dir);
    gitIn(dir, 'add', '-A');
    gitIn(dir, 'add', '-f', 'build/tracked.txt', 'src/forced.log');
    commitAll(dir, 'init');
    writeFileSync(join(dir, 'untracked.md'), 'NEEDLE untracked, not ignored\n');
    rmSync(join(dir, 'src/gone.ts'));
    symlinkSync('src/a.ts', join(dir, 'link.ts'));
    gitIn(dir, 'add', 'link.ts'); // a tracked symlink: rg does not follow it
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'nested/n.txt'), 'NEEDLE in an untracked nested repository\n');
    initRepo(join(dir, 'nested'));

    const listing = listGitFiles(dir, { hidden: false });
    expect((await listing?.untracked)?.dirs).toEqual(['nested']); // git does not look inside; grepFiles walks it
    expect(await listing?.trackedIgnored).toEqual(new Set(['build/tracked.txt', 'src/forced.log'])); // rg skips these
    const r = await grepFiles('NEEDLE', [], { cwd: dir });
    expect(ours(r)).toEqual(rgHits(dir, ['NEEDLE']));
    expect(ours(r)).toContain('src/bom.ts:1:8'); // after the byte-order mark, as rg
    // Walk order, not git's byte order: a/c.txt before a.txt.
    expect(r.hits.map((h) => h.file).slice(0, 2)).toEqual(['a/c.txt', 'a.txt']);
    expect(r.skipped).toEqual(
      expect.arrayContaining([
        { file: 'link.ts', reason: 'symlink', detail: 'symbolic links are not followed' },
        { file: 'bin.dat', reason: 'binary', detail: 'NUL byte at offset 6' },
      ]),
    );
    expect(r.skipped.map((s) => s.file)).not.toContain('src/gone.ts');
    // Counted like rg's file list: the tracked-but-ignored files searched before git said so are
    // taken out again (bin.dat is listed by rg --files but skipped as binary).
    const rgFiles = execFileSync('rg', ['--files'], { cwd: dir, encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(r.filesSearched).toBe(rgFiles.length - 1);
    // Two threads (worker from the built dist) claim files from the same lists: same report.
    const { grepFiles: distGrep } = (await import(join(process.cwd(), 'dist/audit/grep/grep-files.js'))) as typeof import('../../src/audit/grep/grep-files.js');
    const two = await distGrep('NEEDLE', [], { cwd: dir, threads: 2 });
    expect(two.threads).toBe(2);
    expect({ ...two, threads: 1 }).toEqual(await distGrep('NEEDLE', [], { cwd: dir, threads: 1 }));
    // A sub-directory as the search root; and --hidden.
    expect(ours(await grepFiles('NEEDLE', ['src'], { cwd: dir }))).toEqual(rgHits(dir, ['NEEDLE', 'src']));
    expect(ours(await grepFiles('NEEDLE', [], { cwd: dir, hidden: true }))).toEqual(rgHits(dir, ['--hidden', 'NEEDLE']));
  });

  it.skipIf(missing('git') || missing('rg'))('walks a submodule (a gitlink git lists as a file); a git-ignored directory given explicitly is a known difference', async () => {
    const dir = tree({ '.gitignore': 'vendor/\n', 'top.txt': 'NEEDLE\n', 'vendor/v.txt': 'NEEDLE vendored\n', 'sub/s.txt': 'NEEDLE in submodule\n' });
    initRepo(join(dir, 'sub'));
    const sha = commitAll(join(dir, 'sub'), 'sub');
    initRepo(dir);
    gitIn(dir, 'add', 'top.txt', '.gitignore');
    gitIn(dir, 'update-index', '--add', '--cacheinfo', `160000,${sha},sub`);
    const r = await grepFiles('NEEDLE', [], { cwd: dir });
    expect(ours(r)).toEqual(['sub/s.txt:1:1', 'top.txt:1:1']);
    expect(ours(r)).toEqual(rgHits(dir, ['NEEDLE']));
    // Known difference (the walk's, older than the git listing): rg searches inside a git-ignored
    // directory given explicitly; the walk applies the parent's rule to it. docs/audit.md says so.
    expect(rgHits(dir, ['NEEDLE', 'vendor'])).toEqual(['vendor/v.txt:1:1']);
    expect(ours(await grepFiles('NEEDLE', ['vendor'], { cwd: dir }))).toEqual([]);
  });

  it.skipIf(missing('git') || missing('rg'))('honours .ignore/.rgignore (rg reads them, git does not) by walking instead', async () => {
    const dir = tree({ '.ignore': 'skip.txt\n', 'skip.txt': 'NEEDLE\n', 'sub/.rgignore': 'also.txt\n', 'sub/also.txt': 'NEEDLE\n', 'sub/keep.txt': 'NEEDLE\n' });
    initRepo(dir);
    expect(await listGitFiles(dir, { hidden: false })?.untracked).toBeUndefined(); // .ignore listed: walk instead
    expect(ours(await grepFiles('NEEDLE', [], { cwd: dir }))).toEqual(rgHits(dir, ['NEEDLE']));
    expect(listGitFiles(join(dir, 'sub'), { hidden: false })).toBeUndefined(); // .ignore above the root
    // With a tracked file searched first, the untracked half can still say "walk" (the .ignore
    // is untracked): what the tracked half found is discarded, not counted twice.
    gitIn(dir, 'add', 'sub/keep.txt');
    const r = await grepFiles('NEEDLE', [], { cwd: dir });
    expect(ours(r)).toEqual(rgHits(dir, ['NEEDLE']));
    expect(r.filesSearched).toBe(1);
  });

  it('is not used outside a git work tree', async () => {
    const dir = tree({ 'a.txt': 'NEEDLE\n' });
    expect(listGitFiles(dir, { hidden: false })).toBeUndefined();
    expect((await grepFiles('NEEDLE', [], { cwd: dir })).hits).toHaveLength(1);
  });
});

describe('requiredLiterals (the byte pre-filter)', () => {
  it('extracts one literal per alternative, or gives up', () => {
    expect(requiredLiterals('Selenite-dev|5174|8201|devselenite|dev\\.selenite|DEV_', 'u')).toEqual(['Selenite-dev', '5174', '8201', 'devselenite', 'dev.selenite', 'DEV_']);
    expect(requiredLiterals('function\\s+\\w+\\(', 'u')).toEqual(['function']);
    expect(requiredLiterals('colou?r', 'u')).toEqual(['colo']);
    expect(requiredLiterals('xyz*abcd+e', 'u')).toEqual(['abcd']);
    expect(requiredLiterals('(?:x|y)z{0,2}', 'u')).toBeUndefined();
    expect(requiredLiterals('foo|[a-z]+', 'u')).toBeUndefined(); // an alternative without a literal
    expect(requiredLiterals('todo', 'iu')).toBeUndefined(); // case folding: not byte-exact
    expect(requiredLiterals('\\p{L}+x', 'u')).toEqual(['x']); // a property escape is skipped whole, never read as {L}
    expect(requiredLiterals('[]a]bc', '')).toEqual(['bc']); // in JS `[]` is a class of its own
  });

  it('never drops a line the regex matches', async () => {
    const dir = tree({ 'a.txt': 'colr color colour\nfoo(x)\nnaïve café\n' });
    for (const p of ['colou?r', 'fo+\\(', 'caf\u00e9|na\u00efve', 'x\\)$']) {
      const r = await grepFiles(p, [], { cwd: dir });
      const re = new RegExp(p, 'u');
      expect(r.hits.map((h) => h.line)).toEqual(['colr color colour', 'foo(x)', 'naïve café'].flatMap((l, i) => (re.test(l) ? [i + 1] : [])));
    }
  });
});
