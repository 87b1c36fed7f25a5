import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compilePattern } from '../../src/audit/grep/compile-pattern.js';
import { grepFiles } from '../../src/audit/grep/grep-files.js';
import { grepAction } from '../../src/actions/audit/grep-action.js';
import type { ActionContext } from '../../src/actions/action.js';
import { GrepWithSchema } from '../../src/actions/audit/schemas.js';
import { audit, missing } from '../support/audit-services.js';
import { shipgate } from '../support/cli.js';
import { runCli } from '../support/cli-run.js';
import { gitIn, initRepo, useTempTrees } from '../support/temp-dir.js';

const tree = useTempTrees(afterEach);

describe('audit grep', () => {
  it('reports file:line:col like rg --column, sorted by file', async () => {
    const dir = tree({ 'b.txt': 'x\nhello DEV_MODE\n', 'a/c.txt': 'DEV_X at start\n' });
    const r = await grepFiles('DEV_', [], { cwd: dir });
    expect(r.hits.map((h) => `${h.file}:${h.line}:${h.column}`)).toEqual(['a/c.txt:1:1', 'b.txt:2:7']);
    const cli = await runCli(['audit', 'grep', 'DEV_'], { cwd: dir });
    expect(cli.code).toBe(1);
    expect(cli.stdout).toBe('a/c.txt:1:1: DEV_X at start\nb.txt:2:7: hello DEV_MODE\n');
    expect(cli.stderr).toContain('2 hit(s) counted, 0 allowed');
  });

  it('honours nested .gitignore (with re-include), .git/info/exclude, and skips hidden files', async () => {
    const dir = tree({
      '.gitignore': 'build/\n*.log\n',
      'sub/.gitignore': '!keep.log\nsecret.txt\n',
      'build/out.txt': 'NEEDLE\n',
      'x.log': 'NEEDLE\n',
      'sub/keep.log': 'NEEDLE\n',
      'sub/secret.txt': 'NEEDLE\n',
      'excluded.txt': 'NEEDLE\n',
      '.hidden/h.txt': 'NEEDLE\n',
      'ok.txt': 'NEEDLE\n',
    });
    initRepo(dir);
    writeFileSync(join(dir, '.git/info/exclude'), 'excluded.txt\n');
    const r = await grepFiles('NEEDLE', [], { cwd: dir });
    expect(r.hits.map((h) => h.file)).toEqual(['ok.txt', 'sub/keep.log']);
    const all = await grepFiles('NEEDLE', [], { cwd: dir, hidden: true, respectIgnore: false });
    expect(all.hits.length).toBe(7);
  });

  it('a walk (forced by an .ignore file) stops applying the outer .gitignore inside a nested repository, as rg does', async () => {
    const dir = tree({ '.gitignore': '*.secret\n', '.ignore': '', 'top.secret': 'top NEEDLE\n', 'plain.txt': 'NEEDLE\n', 'nested/x.secret': 'nested NEEDLE\n' });
    initRepo(dir);
    initRepo(join(dir, 'nested'));
    expect((await grepFiles('NEEDLE', [], { cwd: dir })).hits.map((h) => h.file)).toEqual(['nested/x.secret', 'plain.txt']);
  });

  it('SARIF: URIs percent-encoded (file:// when absolute), columns in UTF-16 units, an incomplete search not successful', async () => {
    const dir = tree({ 'with space #1.txt': 'é NEEDLE\n', 'big.txt': 'x' });
    writeFileSync(join(dir, 'big.txt'), 'y'.repeat(65 * 1024 * 1024));
    const sarif = JSON.parse((await runCli(['audit', 'grep', 'NEEDLE', '.', '--sarif'], { cwd: dir })).stdout);
    const loc = sarif.runs[0].results[0].locations[0].physicalLocation;
    expect(loc).toEqual({ artifactLocation: { uri: 'with%20space%20%231.txt' }, region: { startLine: 1, startColumn: 3 } });
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(false);
    const abs = JSON.parse((await runCli(['audit', 'grep', 'NEEDLE', join(dir, 'with space #1.txt'), '--sarif'], { cwd: dir })).stdout);
    expect(abs.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toMatch(/^file:\/\/\/.*with%20space%20%231\.txt$/);
  });

  it('the inline marker is whole words: prose that contains it allows nothing', async () => {
    const dir = tree({ 'a.txt': 'DEV_A = 1 # shipgate: allowed hosts are prod only\nDEV_B "shipgate:allowance"\nDEV_C shipgate: allow-list\nDEV_D # shipgate: allow(fixture)\nDEV_E // shipgate: allow - docs example\n' });
    const r = await grepFiles('DEV_', [], { cwd: dir });
    expect(r.hits.map((h) => h.line)).toEqual([1, 2, 3]);
    expect(r.allowed.map((h) => [h.line, h.allowed?.reason])).toEqual([[4, 'fixture'], [5, 'docs example']]);
  });

  it('stops at a NUL byte (binary) and says so; lines before a NUL past the first 64 KiB (rg: before its last read) still count', async () => {
    const longLog = Buffer.concat([Buffer.from('NEEDLE on line 1\n'), Buffer.from(('x'.repeat(99) + '\n').repeat(1000)), Buffer.from([0]), Buffer.from('\nNEEDLE after\n')]);
    const dir = tree({ 'bin.dat': Buffer.concat([Buffer.from('NEEDLE\n'), Buffer.from([0, 1, 2]), Buffer.from('\nNEEDLE\n')]), 'app.log': longLog, 't.txt': 'NEEDLE\n' });
    const r = await grepFiles('NEEDLE', [], { cwd: dir });
    expect(r.hits.map((h) => `${h.file}:${h.line}`)).toEqual(['app.log:1', 't.txt:1']);
    expect(r.filesSearched).toBe(2); // app.log, up to its NUL, and t.txt
    expect(r.skipped).toEqual([
      { file: 'app.log', reason: 'binary', detail: 'NUL byte at offset 100017; searched up to it' },
      { file: 'bin.dat', reason: 'binary', detail: 'NUL byte at offset 7' },
    ]);
  });

  it('names every skip that could hide a hit; counts binaries and symlinks with examples unless --show-skipped', async () => {
    const files: Record<string, string | Buffer> = { 't.txt': 'NEEDLE\n' };
    for (let i = 1; i <= 5; i++) files[`img${i}.png`] = Buffer.from([0x89, 0x50, 0, 1]);
    const dir = tree(files);
    const r = await runCli(['audit', 'grep', 'NEEDLE', '.'], { cwd: dir });
    expect(r.stdout).toBe('t.txt:1:1: NEEDLE\n');
    expect(r.stderr).toContain('1 file(s) searched, 5 skipped');
    expect(r.stderr).toContain('skipped 5 binary file(s): img1.png, img2.png, img3.png, … and 2 more (all: --show-skipped)');
    expect(r.stderr).not.toContain('img4.png');
    const all = await runCli(['audit', 'grep', 'NEEDLE', '.', '--show-skipped'], { cwd: dir });
    for (let i = 1; i <= 5; i++) expect(all.stderr).toContain(`skipped img${i}.png: binary (NUL byte at offset 2)`);
  });

  it('allows hits by glob and by inline marker (with reason), counting them separately', async () => {
    const dir = tree({
      'docs/runbook.md': 'rg -n "Selenite-dev|5174"\n',
      'app.py': 'PORT = 5174  # shipgate: allow(dev server default, overridden in prod)\nURL = "x:5174"\n',
    });
    const r = await grepFiles('5174', [], { cwd: dir, allow: { globs: ['docs/**'] } });
    expect(r.hits.map((h) => `${h.file}:${h.line}`)).toEqual(['app.py:2']);
    expect(r.allowed.map((h) => h.allowed)).toEqual([
      { by: 'marker', rule: 'shipgate: allow', reason: 'dev server default, overridden in prod' },
      { by: 'glob', rule: 'docs/**' },
    ]);
    const json = await runCli(['audit', 'grep', '5174', '--allow', 'docs/**', '--json'], { cwd: dir });
    expect(JSON.parse(json.stdout).allowed).toHaveLength(2);
    const sarif = JSON.parse((await runCli(['audit', 'grep', '5174', '--allow', 'docs/**', '--sarif'], { cwd: dir })).stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results).toHaveLength(3);
    expect(sarif.runs[0].results.filter((x: { suppressions?: unknown }) => x.suppressions)).toHaveLength(2);
    expect(sarif.runs[0]).toMatchObject({ columnKind: 'utf16CodeUnits', invocations: [{ executionSuccessful: true }] });
  });

  it('an invalid regex names the pattern and the position, exit 2', async () => {
    const dir = tree({ 'a.txt': 'x\n' });
    const r = await runCli(['audit', 'grep', 'ab(c|d'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error SG_AUDIT_BAD_REGEX: invalid pattern "ab(c|d" at position 3: Unterminated group');
    expect(() => compilePattern('a**')).toThrow(/position 3: Nothing to repeat/);
    expect(() => compilePattern('[[:alpha:]]')).toThrow(/POSIX class/);
    expect(() => compilePattern('(?x) a b')).toThrow(/verbose mode/);
  });

  it('translates rg-isms: (?i), (?P<name>), \\z', async () => {
    const dir = tree({ 'a.txt': 'Dev_Mode on\nend\n' });
    expect((await grepFiles('(?i)dev_mode', [], { cwd: dir })).hits).toHaveLength(1);
    expect((await grepFiles('(?P<w>on)\\z', [], { cwd: dir })).hits.map((h) => h.column)).toEqual([10]);
    const escaped = compilePattern('Dev\\_Mode');
    expect(escaped).toMatchObject({ jsSource: 'Dev_Mode', flags: 'u', notes: ['escaped punctuation became the character itself'] });
  });

  it('escapes mean what they mean to rg, or the pattern is refused; never silently something else', async () => {
    const dir = tree({ 'a.txt': 'path C:\\Apps\\x\nzone \\zone\nA letter\nx = 1\nfoo\nDEBUG\nnext\n' });
    const lines = async (p: string) => (await grepFiles(p, [], { cwd: dir })).hits.map((h) => h.line);
    expect(await lines('C:\\\\Apps')).toEqual([1]); // an escaped backslash, then "Apps" (not \A)
    expect(await lines('\\\\zone')).toEqual([2]);
    expect(await lines('^\\pL letter')).toEqual([3]);
    expect(await lines('\\x{41} letter')).toEqual([3]);
    expect(compilePattern('\\pL').jsSource).toBe('\\p{L}');
    // Lookaround looks only at the line itself: the line break before "foo" is not whitespace to it.
    expect(await lines('(?<!\\s)foo')).toEqual([5]);
    expect(await lines('DEBUG(?!\\s)')).toEqual([6]);
    expect(() => compilePattern('foo\\nbar')).toThrow(/position 4: a pattern cannot match a line break/);
    expect(() => compilePattern('\\<word')).toThrow(/word boundary in newer ripgrep/);
    expect(() => compilePattern('a{')).toThrow(/SG_AUDIT_BAD_REGEX|invalid pattern/);
  });

  it('streams a large file (a hit after 40 MB) and skips a line longer than the limit with a reason', async () => {
    const dir = tree({});
    const fd = openSync(join(dir, 'big.log'), 'w');
    const block = Buffer.from('x'.repeat(1023) + '\n');
    for (let i = 0; i < 40 * 1024; i++) writeSync(fd, block);
    writeSync(fd, 'the NEEDLE at the end\n');
    closeSync(fd);
    const r = await grepFiles('NEEDLE', [], { cwd: dir });
    expect(r.hits).toEqual([{ file: 'big.log', line: 40 * 1024 + 1, column: 5, text: 'the NEEDLE at the end' }]);
    writeFileSync(join(dir, 'oneline.txt'), 'y'.repeat(3 * 1024 * 1024));
    const small = await grepFiles('NEEDLE', ['oneline.txt'], { cwd: dir, maxLineBytes: 1024 * 1024 });
    expect(small.skipped[0]).toMatchObject({ file: 'oneline.txt', reason: 'line-too-long' });
  });

  it('a file cut short by a line over the limit leaves the audit incomplete: exit 1, never a pass', async () => {
    const dir = tree({ 'big.min.js': 'var DEV_HOST=1;' + 'a'.repeat(2 * 1024 * 1024) + '\n', 'ok.txt': 'fine\n' });
    const { incompleteSkips } = await import('../../src/audit/grep/incomplete-skips.js');
    const r = await grepFiles('DEV_HOST', [], { cwd: dir, maxLineBytes: 1024 * 1024 });
    expect(incompleteSkips(r.skipped).map((k) => k.file)).toEqual(['big.min.js']);
    // Through the CLI, with the default limit (64 MiB): exit 1, SG_AUDIT_INCOMPLETE.
    writeFileSync(join(dir, 'big.min.js'), 'var DEV_HOST=1;' + 'a'.repeat(65 * 1024 * 1024) + '\n');
    const cli = await runCli(['audit', 'grep', 'NOT_THERE', '.'], { cwd: dir });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('error SG_AUDIT_INCOMPLETE: 1 file(s) could not be read whole');
  });

  it('a FIFO given as a path is skipped with a reason, not read (no hang)', async () => {
    const dir = tree({ 'a.txt': 'NEEDLE\n' });
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const r = await grepFiles('NEEDLE', ['pipe', 'a.txt'], { cwd: dir });
    expect(r.skipped).toEqual([{ file: 'pipe', reason: 'not-a-file', detail: expect.stringContaining('FIFO') }]);
    const walked = await grepFiles('NEEDLE', [], { cwd: dir });
    expect(walked.skipped.map((s) => s.reason)).toEqual(['not-a-file']);
  });

  it.skipIf(missing('runuser'))('an unreadable file (run as nobody) makes the audit incomplete: exit 1, named on stderr', async () => {
    const dir = tree({ 'ok.txt': 'fine\n', 'locked.txt': 'NEEDLE\n' });
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'locked.txt'), 0o000);
    chmodSync(join(dir, 'ok.txt'), 0o644);
    const bin = join(process.cwd(), 'bin/shipgate.js');
    let code = 0;
    let stderr = '';
    try {
      execFileSync('runuser', ['-u', 'nobody', '--', process.execPath, bin, 'audit', 'grep', 'NEEDLE'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const err = e as { status: number; stderr: Buffer };
      code = err.status;
      stderr = err.stderr.toString();
    }
    expect(code).toBe(1);
    expect(stderr).toContain('skipped locked.txt: unreadable (EACCES');
    expect(stderr).toContain('SG_AUDIT_INCOMPLETE');
  });

  it.skipIf(missing('rg'))('finds the same file:line set as rg -n on a mixed tree', async () => {
    const dir = tree({
      '.gitignore': 'dist/\n',
      'dist/x.js': 'const Selenite-dev = 1\n',
      'src/a.ts': 'port 8201\nhost dev.selenite.local\n',
      'src/b.ts': 'Selenite-dev\r\nnothing\n',
      'docs/r.md': 'DEV_ and 5174\n',
      'img.bin': Buffer.from([1, 0, 2]),
    });
    gitIn(dir, 'init', '-q');
    const pattern = 'Selenite-dev|5174|8201|devselenite|dev\\.selenite|DEV_';
    const ours = await grepFiles(pattern, [], { cwd: dir });
    let out = '';
    try {
      out = execFileSync('rg', ['-n', pattern, '.'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      out = String((e as { stdout: string }).stdout);
    }
    const rg = out.split('\n').filter(Boolean).map((l) => l.replace(/^\.\//, '').split(':').slice(0, 2).join(':')).sort();
    expect(ours.hits.map((h) => `${h.file}:${h.line}`).sort()).toEqual(rg);
    expect(rg.length).toBe(4);
  });

  it('gives the same hits with worker threads (from the built dist; the JavaScript search, without the native pre-filter)', async () => {
    const dir = tree(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f${i}.txt`, i % 7 === 0 ? 'a\nNEEDLE\n' : 'nothing\n'])));
    const { grepFiles: distGrep } = (await import(join(process.cwd(), 'dist/audit/grep/grep-files.js'))) as typeof import('../../src/audit/grep/grep-files.js');
    const one = await distGrep('NEEDLE', [], { cwd: dir, threads: 1, native: false });
    const two = await distGrep('NEEDLE', [], { cwd: dir, threads: 2, native: false });
    expect(two.threads).toBe(2);
    expect(two.hits).toEqual(one.hits);
    expect(one.hits).toHaveLength(43);
  });

  it('the installed CLI (the bundle) finds its worker: two threads, no fallback note, the same hits', async () => {
    const dir = tree(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f${i}.txt`, i % 7 === 0 ? 'a\nNEEDLE\n' : 'nothing\n'])));
    const r = await shipgate(['audit', 'grep', 'NEEDLE', '--threads', '2', '--json'], { cwd: dir, env: { SHIPGATE_GREP_NATIVE: '0' } });
    const report = JSON.parse(r.stdout) as { threads: number; notes: string[]; hits: unknown[] };
    expect([report.threads, report.notes, report.hits.length]).toEqual([2, [], 43]);
  });

  it('searching 0 files fails (CLI and audit/grep action) instead of a silent zero-hit pass', async () => {
    const dir = tree({ '.gitignore': 'scripts/\n', 'scripts/run.sh': 'PORT=5174 DEV_MODE=1\n', 'src/a.ts': 'ok\n' });
    const cli = await runCli(['audit', 'grep', '5174|DEV_', 'scripts'], { cwd: dir });
    // Either the ignored path is searched (rg's explicit-path rule) and the hit fails the audit,
    // or nothing is searched and that fails too — never exit 0.
    expect(cli.code).toBe(1);
    const empty = tree({ 'keep/.gitignore': '*\n' });
    const none = await runCli(['audit', 'grep', 'DEV_', 'keep'], { cwd: empty });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('searched no files under keep (all ignored or empty?)');
    const lines: string[] = [];
    const ctx = { cwd: empty, signal: new AbortController().signal, log: (l: string) => lines.push(l) } as unknown as ActionContext;
    const out = await grepAction.run(GrepWithSchema.parse({ pattern: 'DEV_', paths: ['keep'] }), ctx);
    expect(out.status).toBe('failed');
    expect(out.summary).toContain('searched no files under keep (all ignored or empty?)');
    expect(out.checks?.find((c) => c.name === 'files searched')).toMatchObject({ passed: false, measured: '0 file(s) searched' });
  });

  it('a path that does not exist is named as such (exit 2) with the search to run instead; the action fails naming it', async () => {
    for (const git of [false, true]) {
      const dir = tree({ 'scripts/run.sh': 'DEV_MODE=1\n', 'docs/a.md': 'ok\n' });
      if (git) initRepo(dir);
      const r = await runCli(['audit', 'grep', 'DEV_|dev\\.x', 'scripts', 'frontend'], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('scripts/run.sh:1:1: DEV_MODE=1\n');
      expect(r.stderr).toContain('skipped frontend: missing (no such file or directory)');
      expect(r.stderr).toContain(`error SG_AUDIT_NO_SUCH_PATH: frontend does not exist under ${dir}\n  → search only paths that exist: shipgate audit grep 'DEV_|dev\\.x' scripts\n`);
      expect(r.stderr).not.toContain('permissions');
      // A misspelt folder: the near name is offered in its place.
      const typo = await runCli(['audit', 'grep', 'DEV_', 'scritps', 'docs'], { cwd: dir });
      expect(typo.stderr).toContain('→ scritps: did you mean scripts? search only paths that exist: shipgate audit grep DEV_ scripts docs\n');
      const none = await runCli(['audit', 'grep', 'DEV_', 'frontend'], { cwd: dir });
      expect([none.code, none.stderr.split('\n').at(-2)]).toEqual([2, '  → pass a file or folder that exists (e.g. . for everything here): shipgate audit grep DEV_ .']);
      const ctx = { cwd: dir, signal: new AbortController().signal, log: () => {} } as unknown as ActionContext;
      const out = await grepAction.run(GrepWithSchema.parse({ pattern: 'NOPE', paths: ['scripts', 'frontend'] }), ctx);
      expect(out.status).toBe('failed');
      expect(out.summary).toContain(`frontend does not exist under ${dir} (fix paths:)`);
      expect(out.checks?.find((c) => c.name === 'paths exist')).toMatchObject({ passed: false, measured: 'missing: frontend' });
    }
  });
});

