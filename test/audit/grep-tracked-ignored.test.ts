import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { positiveRules, supersetRegex } from '../../src/audit/grep/ignore-superset.js';
import { grepFiles } from '../../src/audit/grep/grep-files.js';
import { listGitFiles, OTHERS } from '../../src/audit/grep/list-git-files.js';
import { trackedIgnored } from '../../src/audit/grep/tracked-ignored.js';
import { missing } from '../support/audit-services.js';
import { gitIn, initRepo, makeTempDir, useTempTrees } from '../support/temp-dir.js';

// tracked-ignored.ts answers "which tracked files does an ignore rule match" without
// `git ls-files --cached --ignored`; these tests hold its answer against that command's.

const tree = useTempTrees(afterEach);
/** No user's global excludes file or config: each test says what it wants. */
const ENV = { ...process.env, HOME: '/nonexistent', XDG_CONFIG_HOME: '', GIT_CONFIG_NOSYSTEM: '1' };

const git = (cwd: string, args: string[], env: NodeJS.ProcessEnv = ENV) => execFileSync('git', args, { cwd, env, maxBuffer: 1 << 26 }).toString('utf8');
/** git's own answer, and the two listings the quick one reads. */
const gitIgnored = (cwd: string, env: NodeJS.ProcessEnv = ENV) => new Set(git(cwd, ['ls-files', '-z', '--cached', '--ignored', '--exclude-standard'], env).split('\0').filter(Boolean));
const quick = (gitRoot: string, rootAbs: string, env: NodeJS.ProcessEnv = ENV, excludesFile = '') =>
  trackedIgnored({ gitRoot, rootAbs, env, excludesFile }, git(rootAbs, ['ls-files', '-z', '--cached'], env), Promise.resolve(git(rootAbs, OTHERS, env)));

/** A repository whose every file is tracked, ignored or not (`add -f`). */
function trackedTree(files: Record<string, string>): string {
  const dir = tree(files);
  initRepo(dir);
  gitIn(dir, 'add', '-f', '--', ...Object.keys(files).map((f) => `./${f}`)); // ./ keeps a leading ':' a name
  return dir;
}

describe('audit grep: tracked files an ignore rule matches, without testing every index entry', () => {
  it.skipIf(missing('git'))(`agrees with \`git ls-files --cached --ignored\` on negations, anchors, **, directories, escapes, CRLF, a BOM and nested files`, async () => {
    const dir = trackedTree({
      '.gitignore': '\uFEFF# comment\n*.log\n!keep.log\n/top-only.txt\nbuild/\ndocs/**/gen\n**/cache\nsp\\ ace \nlit\\*star\nwin.txt\r\n\\!bang\n\\#hash\n[xy]z.bin\nq?.txt\ntrail   \n',
      'a.log': '',
      'keep.log': '',
      'sub/b.log': '',
      'top-only.txt': '',
      'sub/top-only.txt': '',
      'build/out.js': '',
      'sub/build/deep.js': '',
      'build.txt': '',
      'docs/x/y/gen/page.md': '',
      'docs/gen/page.md': '',
      'docs/general.md': '',
      'a/cache/c.txt': '',
      'cache/d.txt': '',
      'sp ace ': '',
      'sp ace': '',
      'lit*star': '',
      'litXstar': '',
      'win.txt': '',
      '!bang': '',
      '#hash': '',
      'xz.bin': '',
      'az.bin': '',
      'q1.txt': '',
      'trail': '',
      'pkg/.gitignore': '*.tmp\n!/keep.tmp\n/local/\n',
      'pkg/x.tmp': '',
      'pkg/keep.tmp': '',
      'pkg/local/l.txt': '',
      'pkg/deeper/local/l.txt': '',
      'other/x.tmp': '',
      'plain.txt': '',
    });
    const want = gitIgnored(dir);
    expect(want.size).toBeGreaterThan(15); // the fixture does exercise the rules
    expect(await quick(dir, dir)).toEqual(want);
    // From a sub-directory: the root's rules still apply, paths are relative to it.
    expect(await quick(dir, join(dir, 'pkg'))).toEqual(gitIgnored(join(dir, 'pkg')));
    // Through listGitFiles, as audit grep uses it.
    expect(await listGitFiles(dir, { hidden: false, env: ENV })?.trackedIgnored).toEqual(want);
  });

  it.skipIf(missing('git'))(`reads .git/info/exclude, the global excludes file, untracked .gitignore files, and one that is itself ignored`, async () => {
    const dir = trackedTree({ 'a.txt': '', 'b.txt': '', 'c.txt': '', 'inner/d.txt': '', 'inner/e.txt': '', 'hidden/f.txt': '' });
    writeFileSync(join(dir, '.git/info/exclude'), 'a.txt\n');
    const globalFile = join(dir, '..', `${dir.split('/').pop()}-global-ignore`);
    writeFileSync(globalFile, 'b.txt\n');
    writeFileSync(join(dir, 'inner/.gitignore'), 'd.txt\n'); // untracked, not ignored: the --others listing names it
    writeFileSync(join(dir, '.gitignore'), 'hidden/.gitignore\n');
    writeFileSync(join(dir, 'hidden/.gitignore'), 'f.txt\n'); // untracked AND ignored: no listing names it, git reads it
    mkdirSync(join(dir, 'self/deep'), { recursive: true });
    writeFileSync(join(dir, 'self/.gitignore'), '*\n'); // ignores itself too (tool caches write these)
    writeFileSync(join(dir, 'self/deep/g.txt'), '');
    gitIn(dir, 'add', '-f', 'self/deep/g.txt'); // under a directory with no file of its own
    try {
      const env = { ...ENV, GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.excludesFile', GIT_CONFIG_VALUE_0: globalFile };
      const want = gitIgnored(dir, env);
      expect(want).toEqual(new Set(['a.txt', 'b.txt', 'inner/d.txt', 'hidden/f.txt', 'self/deep/g.txt']));
      expect(await quick(dir, dir, env, globalFile)).toEqual(want);
      expect(await listGitFiles(dir, { hidden: false, env })?.trackedIgnored).toEqual(want);
      // The default global file when core.excludesFile is unset: $XDG_CONFIG_HOME/git/ignore.
      mkdirSync(join(dir, 'xdg/git'), { recursive: true });
      writeFileSync(join(dir, 'xdg/git/ignore'), 'c.txt\n');
      const xdg = { ...ENV, XDG_CONFIG_HOME: join(dir, 'xdg') };
      expect(gitIgnored(dir, xdg)).toContain('c.txt');
      expect(await quick(dir, dir, xdg)).toEqual(gitIgnored(dir, xdg));
    } finally {
      rmSync(globalFile, { force: true });
    }
  });

  it.skipIf(missing('git'))(`says "unsure" where its reading could differ from git (the listing then asks git), and sides with rg where git alone reads the index`, async () => {
    const dir = trackedTree({ '.gitignore': '*.log\n', 'a.log': '', 'sub/.gitignore': 'x.txt\n', 'sub/x.txt': '', ':colon.log': '' });
    // A path starting with ':' (check-ignore would read it as pathspec magic).
    expect(await quick(dir, dir)).toBeUndefined();
    expect(await listGitFiles(dir, { hidden: false, env: ENV })?.trackedIgnored).toEqual(gitIgnored(dir));
    gitIn(dir, 'rm', '-q', '--cached', './:colon.log');
    rmSync(join(dir, ':colon.log'));
    expect(await quick(dir, dir)).toEqual(gitIgnored(dir));
    // A tracked .gitignore deleted from the work tree has no rules, for git too…
    rmSync(join(dir, 'sub/.gitignore'));
    expect(await quick(dir, dir)).toEqual(gitIgnored(dir));
    expect(gitIgnored(dir)).not.toContain('sub/x.txt');
    // …unless it is skip-worktree (sparse checkouts): git reads it from the index, rg reads
    // nothing and searches sub/x.txt; shipgate sides with rg.
    gitIn(dir, 'update-index', '--skip-worktree', 'sub/.gitignore');
    expect(gitIgnored(dir)).toContain('sub/x.txt');
    expect(await quick(dir, dir)).toEqual(new Set(['a.log']));
    // A relocated repository.
    expect(await quick(dir, dir, { ...ENV, GIT_DIR: join(dir, '.git') })).toBeUndefined();
    // A relative core.excludesFile.
    expect(await quick(dir, dir, ENV, 'relative/ignore')).toBeUndefined();
  });

  it.skipIf(missing('git') || missing('rg'))('from review: `?` is a byte to git; a symlinked .gitignore is not read (nor hangs on a FIFO); a folder named .gitignore; a rule of many stars', async () => {
    // `??` matches the two bytes of é.
    const bytes = trackedTree({ '.gitignore': '??.txt\n', 'é.txt': '', 'ab.txt': '', 'x.txt': '' });
    expect(gitIgnored(bytes)).toEqual(new Set(['ab.txt', 'é.txt']));
    expect(await quick(bytes, bytes)).toEqual(gitIgnored(bytes));
    // A .gitignore that is a symlink to a FIFO: git does not follow it (O_NOFOLLOW), nor do we.
    const fifo = trackedTree({ 'sub/keep.txt': '' });
    execFileSync('mkfifo', [join(fifo, 'pipe')]);
    symlinkSync('../pipe', join(fifo, 'sub/.gitignore'));
    gitIn(fifo, 'add', 'sub/.gitignore');
    expect(await quick(fifo, fifo)).toEqual(new Set());
    // A folder named .gitignore, ignored: the listing's exception for .gitignore files lets git
    // into it; with --hidden its files are dropped again, as rg never looks inside.
    const folder = tree({ '.gitignore': 'sub/.gitignore\n', 'sub/.gitignore/notes.txt': 'NEEDLE\n', 'sub/keep.txt': 'NEEDLE\n' });
    initRepo(folder);
    const r = await grepFiles('NEEDLE', [], { cwd: folder, hidden: true });
    expect(r.hits.map((h) => h.file)).toEqual(['sub/keep.txt']);
    expect(execFileSync('rg', ['-l', '--hidden', 'NEEDLE', '.'], { cwd: folder, encoding: 'utf8' }).trim()).toBe('./sub/keep.txt');
    // Six stars against a long name: git answers at once, and so must the loose reading.
    const stars = trackedTree({ '.gitignore': '*a*a*a*a*a*a*b\n', ['a'.repeat(80)]: '', ['a'.repeat(40) + 'b']: '' });
    expect(await quick(stars, stars)).toEqual(gitIgnored(stars));
  });

  it.skipIf(missing('git'))('from a sub-folder with core.ignoreCase: a rule naming the folders in another case still counts, as for git', async () => {
    const dir = trackedTree({ '.gitignore': '/Packages/foo/*.js\n/Vendor/lib/\n', 'packages/foo/x.js': '', 'packages/foo/y.txt': '', 'vendor/lib/src/a.c': '' });
    gitIn(dir, 'config', 'core.ignoreCase', 'true');
    for (const sub of ['packages', 'vendor/lib']) {
      const want = gitIgnored(join(dir, sub));
      expect(want.size, sub).toBe(1);
      expect(await quick(dir, join(dir, sub)), sub).toEqual(want);
    }
  });

  it.skipIf(missing('git'))(`never misses a path git ignores (random rules and paths, against git itself)`, async () => {
    const { dir, cleanup } = makeTempDir('sg-ignore-prop-');
    try {
      initRepo(dir);
      const seg = fc.constantFrom('a', 'b', 'ab', '.a', 'a.b', 'a b');
      const path = fc.array(seg, { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));
      const ruleSeg = fc.constantFrom('a', 'b', '*', '**', '?', 'a*', '*.b', '[ab]', '\\a', '.a', 'a\\ b', 'a b');
      const rule = fc
        .tuple(fc.constantFrom('', '!', '/', '\\!'), fc.array(ruleSeg, { minLength: 1, maxLength: 3 }), fc.constantFrom('', '/', ' ', '\\ '))
        .map(([lead, segs, tail]) => lead + segs.join('/') + tail);
      await fc.assert(
        fc.asyncProperty(fc.uniqueArray(path, { minLength: 1, maxLength: 8 }), fc.array(rule, { minLength: 1, maxLength: 5 }), fc.array(rule, { maxLength: 3 }), async (paths, rootRules, nestedRules) => {
          rmSync(join(dir, '.git/index'), { force: true });
          for (const e of ['a', 'b', 'ab', '.a', 'a.b', 'a b', '.gitignore']) rmSync(join(dir, e), { recursive: true, force: true });
          const files = paths.filter((p) => !paths.some((q) => q.startsWith(p + '/'))); // a file cannot also be a directory
          for (const f of files) {
            mkdirSync(join(dir, f, '..'), { recursive: true });
            writeFileSync(join(dir, f), '');
          }
          writeFileSync(join(dir, '.gitignore'), rootRules.join('\n') + '\n');
          if (existsDir(join(dir, 'a'))) writeFileSync(join(dir, 'a/.gitignore'), nestedRules.join('\n') + '\n');
          git(dir, ['add', '-f', '--', ...files]);
          const want = gitIgnored(dir);
          // The loose reading finds every path git ignores…
          const listing = '\0' + [...want].join('\0') + '\0';
          const superset = supersetRegex([
            { base: '', text: rootRules.join('\n') },
            { base: 'a/', text: nestedRules.join('\n') },
          ]);
          const found = new Set<string>();
          for (const m of listing.matchAll(superset.regex)) found.add(listing.slice(listing.lastIndexOf('\0', m.index) + 1, listing.indexOf('\0', m.index + 1)));
          expect([...want].filter((p) => !found.has(p))).toEqual([]);
          // …and git's judgement of those gives exactly its own answer; also from a folder below
          // the root, where the rules are rewritten for paths from there (supersetRegex `under`).
          expect(await quick(dir, dir)).toEqual(want);
          for (const sub of ['a', 'b', 'a/b', 'a/a b']) if (existsDir(join(dir, sub))) expect(await quick(dir, join(dir, sub)), sub).toEqual(gitIgnored(join(dir, sub)));
        }),
        { numRuns: 40 },
      );
    } finally {
      cleanup();
    }
  }, 60_000);

  it.skipIf(missing('git') || missing('rg'))('with --hidden, an untracked .gitignore that ignores itself is not searched (git lists it for its rules only), as rg', async () => {
    const dir = tree({ 'cache/.gitignore': '# NEEDLE\n*\n', 'cache/data.txt': 'NEEDLE\n', 'keep/.gitignore': '# NEEDLE kept\n', 'top.txt': 'NEEDLE\n' });
    initRepo(dir);
    gitIn(dir, 'add', 'top.txt');
    const rg = execFileSync('rg', ['-l', '--hidden', 'NEEDLE', '.'], { cwd: dir, encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^\.\//, '')).sort();
    expect(rg).toEqual(['keep/.gitignore', 'top.txt']);
    const r = await grepFiles('NEEDLE', [], { cwd: dir, hidden: true });
    expect([...new Set(r.hits.map((h) => h.file))].sort()).toEqual(rg);
    expect((await grepFiles('NEEDLE', [], { cwd: dir })).hits.map((h) => h.file)).toEqual(['top.txt']);
  });

  it('rewrites the rules for a search root below the repository root where it can, and says where it cannot', () => {
    const root = { base: '', text: '/build\n**/node_modules\n/pkg/*/LICENSE\n/other/x\n*.log\n' };
    const nested = { base: 'pkg/a/', text: 'gen\n/local/\n' };
    const under = supersetRegex([root, nested], 'pkg/');
    expect(under.fromRepositoryRoot).toBe(false);
    const listing = '\0a/LICENSE\0a/gen/x.js\0a/local/y\0a/src/node_modules/z\0build/k\0b/LICENSE\0b/deep/LICENSE\0c.log\0plain.txt\0';
    const found = [...listing.matchAll(under.regex)].map((m) => listing.slice(listing.lastIndexOf('\0', m.index) + 1, listing.indexOf('\0', m.index + 1)));
    expect([...new Set(found)].sort()).toEqual(['a/LICENSE', 'a/gen/x.js', 'a/local/y', 'a/src/node_modules/z', 'b/LICENSE', 'c.log']);
    // The search root inside a folder a rule may ignore, or a rule that can reach across it: the plain way.
    expect(supersetRegex([{ base: '', text: 'pkg\n' }], 'pkg/').fromRepositoryRoot).toBe(true);
    expect(supersetRegex([{ base: '', text: '/*/sub/x\n' }], 'pkg/').fromRepositoryRoot).toBe(true);
    expect(supersetRegex([{ base: '', text: '/**/x\n' }], 'pkg/').fromRepositoryRoot).toBe(false); // a name rule
    expect(supersetRegex([{ base: '', text: 'a/**/b\n' }], 'a/').fromRepositoryRoot).toBe(false); // rewritten: **/b from a/
    // Folders that differ only in case (git with core.ignoreCase matches them): the plain way.
    expect(supersetRegex([{ base: '', text: '/Packages/foo/*.js\n' }], 'packages/').fromRepositoryRoot).toBe(true);
    expect(supersetRegex([{ base: '', text: '/Vendor/lib/\n' }], 'vendor/lib/').fromRepositoryRoot).toBe(true);
  });

  it('reads rule lines as git does', () => {
    expect(positiveRules('\uFEFFa\n# c\n\n!neg\nb  \nc\\  \nd\r\n\\#e\n   \n')).toEqual(['a', 'b', 'c\\ ', 'd', '\\#e']);
    expect(supersetRegex([]).rules).toBe(0);
  });
});

function existsDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false; // missing, or a file on the way (ENOTDIR)
  }
}
