import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { compilePattern } from '../../src/audit/grep/compile-pattern.js';
import { grepFiles, type GrepOptions } from '../../src/audit/grep/grep-files.js';
import { nativeScanner } from '../../src/audit/grep/native-scan.js';
import { prefilterFor, requiredLiterals } from '../../src/audit/grep/required-literals.js';
import { searchWhole } from '../../src/audit/grep/search-file.js';
import { buildMatchers } from '../../src/audit/grep/search-tasks.js';
import { missing } from '../support/audit-services.js';
import { shipgate } from '../support/cli.js';
import { gitIn, initRepo, useTempTrees } from '../support/temp-dir.js';

const tree = useTempTrees(afterEach);
/** The native pre-filter is built by `npm run build` (scripts/build-native.mjs) where a C compiler is. */
const built = nativeScanner() !== undefined;
const why = 'native pre-filter not built (no C compiler or node-gyp at build time); the JavaScript search is tested elsewhere';

const KiB = 1024;
/** Lines of filler without any of the test patterns' literals. */
const filler = (bytes: number): string => 'lorem ipsum dolor sit amet\n'.repeat(Math.ceil(bytes / 27)).slice(0, bytes);

/** A tree with every kind of file the two searches must agree on. */
function edgeTree(): string {
  const dir = tree({
    '.gitignore': 'ignored/\n',
    'ignored/secret.txt': 'TODO ignored\n',
    'empty.txt': '',
    'plain.txt': 'nothing here\n',
    'hit.txt': 'a\nb TODO c\nFIXME d\n',
    'bom.txt': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('TODO after a byte-order mark\n')]),
    'crlf.txt': 'one\r\ntwo TODO\r\nthree\r\n',
    'no-final-newline.txt': 'x\nlast TODO',
    'unicode.txt': 'naïve café TODO: ünïcode\nKey Kelvin \u212Aey and \u017Fecret\n',
    'binary-early.bin': Buffer.concat([Buffer.from('TODO before NUL\n'), Buffer.from([0]), Buffer.from('TODO after\n')]),
    // The NUL's offset is the file's, byte-order mark included.
    'binary-bom.bin': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('TODO x'), Buffer.from([0])]),
    // NUL past rg's first 64 KiB but within one read: the lines before it count.
    'binary-late.log': Buffer.concat([Buffer.from(filler(70 * KiB) + 'TODO late\n'), Buffer.from([0]), Buffer.from('TODO gone\n')]),
    // NUL past the first 256 KiB read: the native side leaves it to JavaScript, which streams it
    // and stops reading there (its byte count ends before the file does).
    'binary-huge.log': Buffer.concat([Buffer.from(filler(300 * KiB) + 'TODO huge\n'), Buffer.from([0]), Buffer.from('TODO gone\n' + filler(600 * KiB))]),
    // Larger than one read, read whole by the native side: hits across the 256 KiB boundary.
    'big.txt': filler(255 * KiB) + 'TODO near the boundary\n' + filler(20 * KiB) + 'FIXME later\n',
    'big-clean.txt': filler(600 * KiB),
    'sub/deep/x.ts': 'const DEV_X = 1; // TODO\n',
    'lookaround.txt': 'fooTODO\nbar TODO\n',
  });
  symlinkSync('hit.txt', join(dir, 'link.txt'));
  initRepo(dir);
  gitIn(dir, 'add', '-A');
  gitIn(dir, 'add', '-f', 'ignored/secret.txt'); // tracked but ignored: rg does not search it
  mkdirSync(join(dir, 'a-dir.txt')); // a directory whose name looks like a file
  writeFileSync(join(dir, 'untracked.txt'), 'untracked TODO\n');
  return dir;
}

/** Both searches' full reports, minus the thread count they report. */
async function both(dir: string, pattern: string, opts: Partial<GrepOptions> = {}): Promise<[unknown, unknown]> {
  const strip = ({ threads: _threads, ...rest }: Awaited<ReturnType<typeof grepFiles>>): unknown => rest;
  const native = await grepFiles(pattern, [], { cwd: dir, ...opts, native: true });
  const js = await grepFiles(pattern, [], { cwd: dir, ...opts, native: false });
  return [strip(native), strip(js)];
}

describe('audit grep: the native pre-filter', () => {
  it.runIf(process.env.CI)('is built on CI (so the tests below run there)', () => {
    expect(nativeScanner()).toBeDefined();
  });

  it.skipIf(!built)(`gives the JavaScript search's report, file for file, on every kind of file${built ? '' : ` (skipped: ${why})`}`, async () => {
    const dir = edgeTree();
    for (const [pattern, ignoreCase] of [
      ['TODO|FIXME', false],
      ['todo', true], // case-insensitive literal
      ['key|secret', true], // k and s: U+212A and U+017F fold to them
      ['ünïcode', false], // a non-ASCII literal
      ['(?<!foo)TODO', false], // lookbehind: each line alone
      ['TODO\\s+\\w+', false],
      ['\\d+', false], // no literal: the JavaScript search alone
    ] as const) {
      const [native, js] = await both(dir, pattern, { ignoreCase });
      expect(native, pattern).toEqual(js);
    }
    // And both are rg's, where rg is installed (CI installs it): file, line and byte column.
    if (!missing('rg')) {
      const [native] = await both(dir, 'TODO|FIXME');
      const ours = (native as { hits: Array<{ file: string; line: number; column: number }> }).hits.map((h) => `${h.file}:${h.line}:${h.column}`);
      const rg = spawnSync('rg', ['-n', '--column', 'TODO|FIXME', '.'], { cwd: dir, encoding: 'utf8' }).stdout;
      const theirs = rg.split('\n').filter(Boolean).map((l) => l.replace(/^\.\//, '').split(':').slice(0, 3).join(':'));
      // rg drops the hits in the 64 KiB it was reading when it met a NUL; shipgate keeps every
      // whole line before the NUL (docs/reference: a superset, never fewer hits). Apart from that:
      const late = (k: string): boolean => k.startsWith('binary-late.log:') || k.startsWith('binary-huge.log:');
      expect(ours.filter((k) => !late(k)).sort()).toEqual(theirs.sort());
      expect(ours.filter(late)).toHaveLength(2);
      expect(ours.length).toBeGreaterThan(12);
    }
  });

  it.skipIf(!built)('case-insensitive: a file whose only match is a Kelvin sign or a long s is not dropped', async () => {
    const dir = tree({ 'k.txt': 'the \u212AEY\n', 's.txt': '\u017Fecret\n', 'none.txt': 'other\n' });
    const r = await grepFiles('key|secret', [], { cwd: dir, ignoreCase: true, native: true });
    expect(r.hits.map((h) => h.file)).toEqual(['k.txt', 's.txt']);
    expect(prefilterFor(compilePattern('key|secret', { ignoreCase: true }).jsSource, 'iu')).toEqual({ literals: ['key', 'secret'], caseless: 2 });
    expect(prefilterFor(compilePattern('todo', { ignoreCase: true }).jsSource, 'iu')).toEqual({ literals: ['todo'], caseless: 1 });
  });

  it.skipIf(!built)('a line over --max-line-bytes skips the file on both paths; a shorter file is read whole', async () => {
    const long = 'x'.repeat(300 * KiB) + ' TODO\n';
    const dir = tree({ 'long.txt': long, 'short.txt': 'y'.repeat(200 * KiB) + ' TODO\n' });
    const [native, js] = await both(dir, 'TODO', { maxLineBytes: 280 * KiB });
    expect(native).toEqual(js);
    const r = native as { hits: Array<{ file: string }>; skipped: Array<{ file: string; reason: string }> };
    expect(r.skipped.map((s) => `${s.file}:${s.reason}`)).toEqual(['long.txt:line-too-long']);
    expect(r.hits.map((h) => h.file)).toEqual(['short.txt']);
  });

  it.skipIf(!built)('over many slices of files (read while earlier ones are searched): the same hits and counts', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 9000; i++) files[`d${i % 37}/f${i}.txt`] = i % 97 === 0 ? `x\nNEEDLE ${i}\n` : `nothing ${i}\n`;
    const dir = tree(files);
    const [native, js] = await both(dir, 'NEEDLE');
    expect(native).toEqual(js);
    expect((native as { hits: unknown[]; filesSearched: number }).hits).toHaveLength(93);
    expect((native as { filesSearched: number }).filesSearched).toBe(9000);
  });

  it.skipIf(!built)('the CLI uses it by default: one thread per core up to 4; SHIPGATE_GREP_NATIVE=0 turns it off', async () => {
    const dir = tree({ 'a.txt': 'NEEDLE\n' });
    const on = JSON.parse((await shipgate(['audit', 'grep', 'NEEDLE', '--json'], { cwd: dir })).stdout) as { threads: number; hits: unknown[] };
    const off = JSON.parse((await shipgate(['audit', 'grep', 'NEEDLE', '--json'], { cwd: dir, env: { SHIPGATE_GREP_NATIVE: '0' } })).stdout) as { threads: number; hits: unknown[] };
    expect(on.threads).toBeGreaterThanOrEqual(1);
    expect(on.threads).toBeLessThanOrEqual(4);
    expect(off.threads).toBe(1);
    expect(on.hits).toEqual(off.hits);
  });
});

describe('audit grep: the native pre-filter refuses bad calls and odd files', () => {
  it.skipIf(!built)('a FIFO where a tracked file was is skipped as not a file on both paths, without hanging', async () => {
    const dir = tree({ 'a.txt': 'NEEDLE\n', 'p.txt': 'NEEDLE\n' });
    initRepo(dir);
    gitIn(dir, 'add', '-A');
    rmSync(join(dir, 'p.txt'));
    spawnSync('mkfifo', [join(dir, 'p.txt')]);
    const [native, js] = await both(dir, 'NEEDLE');
    expect(native).toEqual(js);
    const r = native as { hits: Array<{ file: string }>; skipped: Array<{ file: string; reason: string }> };
    expect(r.hits.map((h) => h.file)).toEqual(['a.txt']);
    expect(r.skipped).toEqual([{ file: 'p.txt', reason: 'not-a-file', detail: 'not a regular file (FIFO, socket or device)' }]);
  }, 20_000);

  it.skipIf(!built)('wrong argument types, no literal and no file: a clear error or an empty result, never a write out of bounds', async () => {
    const scanner = nativeScanner()!;
    const paths = Buffer.from('a.txt\0');
    const ok = (): Parameters<typeof scanner.scan> => [paths, new Uint32Array(1), new Uint8Array(1), [Buffer.from('x')], 0, 1, new Uint8Array(1).fill(2), new Int32Array(1), new Int32Array(1), 1 << 20];
    const call = (patch: (a: Parameters<typeof scanner.scan>) => void): unknown => {
      const a = ok();
      patch(a);
      return scanner.scan(...a);
    };
    expect(() => call((a) => (a[7] = new Uint8Array(1) as unknown as Int32Array))).toThrow(/Int32Array expected/);
    expect(() => call((a) => (a[1] = new Uint32Array(2)))).toThrow(/one length/);
    expect(() => call((a) => (a[3] = []))).toThrow(/at least one literal/); // would mark every file clean
    expect(() => call((a) => (a[3] = [Buffer.alloc(0)]))).toThrow(/non-empty/);
    expect(() => call((a) => (a[0] = Buffer.from('a.txt')))).toThrow(/end with a NUL/);
    expect(() => call((a) => (a[1] = Uint32Array.of(99)))).toThrow(/past the end/);
    const none = await scanner.scan(Buffer.alloc(0), new Uint32Array(0), new Uint8Array(0), [Buffer.from('x')], 0, 2, new Uint8Array(0), new Int32Array(0), new Int32Array(0), 1 << 20);
    expect(none).toEqual([]);
  });

  it.skipIf(!built)('reports the threads that can read at once (libuv pool: 4 unless UV_THREADPOOL_SIZE)', async () => {
    const dir = tree({ 'a.txt': 'NEEDLE\n' });
    const r = JSON.parse((await shipgate(['audit', 'grep', 'NEEDLE', '--threads', '64', '--json'], { cwd: dir })).stdout) as { threads: number };
    expect(r.threads).toBe(4);
    const wide = JSON.parse((await shipgate(['audit', 'grep', 'NEEDLE', '--threads', '64', '--json'], { cwd: dir, env: { UV_THREADPOOL_SIZE: '8' } })).stdout) as { threads: number };
    expect(wide.threads).toBe(8);
  });
});

describe('audit grep: searching only the lines that hold a required literal', () => {
  it('finds what testing every line finds (property: random lines, patterns with literals)', () => {
    const patterns = ['TODO|FIXME', 'ab+c', 'x\\d+y', '(?<=q)zz', 'é|ü', 'end$', '^start', 'a.b', 'TO(DO)?', '\\bTODO\\b', '\\p{Lu}zz', '\\w+é'];
    fc.assert(
      fc.property(fc.constantFrom(...patterns), fc.array(fc.stringMatching(/^[a-zA-Z0-9 qxyzéü.\r\t]{0,30}$/), { maxLength: 30 }), fc.array(fc.constantFrom('TODO', 'FIXME', 'abbc', 'x12y', 'qzz', 'é', 'start', 'end', 'a-b'), { maxLength: 5 }), (pattern, lines, inserts) => {
        const text = lines.map((l, i) => (inserts[i] ? l + inserts[i] : l)).join('\n');
        const p = compilePattern(pattern);
        const literals = requiredLiterals(p.jsSource, p.flags);
        expect(literals, pattern).toBeDefined();
        const withLiterals = searchWhole(Buffer.from(text), 'f', buildMatchers(p.jsSource, p.flags, literals));
        const everyLine = searchWhole(Buffer.from(text), 'f', buildMatchers(p.jsSource, p.flags, undefined));
        expect(withLiterals).toEqual(everyLine);
        // and a line-by-line reference, independent of both
        const expected = text.split('\n').flatMap((line, i) => (new RegExp(p.jsSource, p.flags).test(line) ? [i + 1] : []));
        expect(withLiterals.hits.map((h) => h.line)).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('case-insensitive: the lines found in the lower-cased copy are the lines that match (property)', () => {
    const patterns = ['todo', 'fix(me)?', 'to+do|bug', '\\btodo\\b', 'x\\d+y'];
    const lower = (b: Buffer) => Buffer.from(b.map((c) => (c >= 0x41 && c <= 0x5a ? c + 32 : c)));
    fc.assert(
      fc.property(fc.constantFrom(...patterns), fc.boolean(), fc.array(fc.stringMatching(/^[a-zA-Z0-9 éü.\r\t]{0,30}$/), { maxLength: 30 }), fc.array(fc.constantFrom('TODO', 'ToDo', 'tOdO', 'FixMe', 'BUG', 'X12Y', 'toooDO', 'é'), { maxLength: 5 }), (pattern, bom, lines, inserts) => {
        const text = lines.map((l, i) => (inserts[i] ? l + inserts[i] : l)).join('\n');
        const bytes = Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(text)]);
        const p = compilePattern(pattern, { ignoreCase: true });
        const pre = prefilterFor(p.jsSource, p.flags);
        expect(pre?.caseless, pattern).toBe(1);
        const folded = { ...buildMatchers(p.jsSource, p.flags, undefined), foldedLiterals: pre!.literals.map((l) => Buffer.from(l)) };
        const withCopy = searchWhole(bytes, 'f', folded, lower(bytes));
        expect(withCopy).toEqual(searchWhole(bytes, 'f', buildMatchers(p.jsSource, p.flags, undefined)));
        const expected = text.split('\n').flatMap((line, i) => (new RegExp(p.jsSource, p.flags).test(line) ? [i + 1] : []));
        expect(withCopy.hits.map((h) => h.line)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
