import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, shipgate, tempProject } from '../support/cli.js';
import { useTempTrees } from '../support/temp-dir.js';

const LOADER_URL = pathToFileURL(join(ROOT, 'bin', 'cli-loader.js')).href;

/** A stand-in bundle: CommonJS with the build-id footer scripts/bundle-cli.mjs writes. */
function fakeBundle(dir: string, id: string, answer = 42): string {
  const file = join(dir, 'main.cjs');
  const strict = 'exports.strict = (function () { return this === undefined; })();';
  writeFileSync(file, `exports.answer = () => ${answer};\n${strict}\nexports.sep = require('node:path').sep;\n//# shipgate-build=${id}\n`);
  return file;
}

/**
 * Loads `bundle` with bin/cli-loader.js in a fresh Node process (V8 keeps compiled scripts in
 * memory, so a second load in this process would never consult the cache). Prints what
 * `answer()` returns, or `fallback` when the loader declines, then calls saveCache().
 */
function loadInChild(bundle: string, env: Record<string, string> = {}): { answer: string; stderr: string } {
  const code = `import(${JSON.stringify(LOADER_URL)}).then(({ loadCachedCli }) => { const cli = loadCachedCli(${JSON.stringify(bundle)}); process.stdout.write(cli ? String(cli.exports.answer()) + (cli.exports.strict ? '' : ' (sloppy)') : 'fallback'); cli?.saveCache(); })`;
  const r = spawnSync(process.execPath, ['-e', code], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`loader child failed: ${r.stderr}`);
  return { answer: r.stdout, stderr: r.stderr };
}

const DEBUG = { SHIPGATE_DEBUG_CODE_CACHE: '1' };

describe('the runbook commands\' bundle and its V8 code cache (bin/cli-loader.js)', () => {
  const tree = useTempTrees(afterEach);
  const tempDir = () => tree({});

  it('the built CLI uses the cache the build made; with other Node options it loads the split bundle instead', async () => {
    const p = tempProject(readFileSync(join(ROOT, 'examples', 'demo', 'shipgate.yml'), 'utf8'));
    try {
      const cached = await shipgate(['validate'], { cwd: p.dir, env: DEBUG });
      expect(cached.stderr).toContain('shipgate: code cache used');
      expect(cached.exitCode).toBe(0);
      // V8 would reject a cache made without this flag; the split bundle starts faster than
      // the CommonJS one compiled from source.
      const other = await shipgate(['validate'], { cwd: p.dir, env: { ...DEBUG, NODE_OPTIONS: '--max-old-space-size=512' } });
      expect(other.stderr).toContain('shipgate: code cache made by another Node version or with other Node options: loading the ES module bundle');
      expect(other.stdout).toBe(cached.stdout);
      expect(other.exitCode).toBe(0);
    } finally {
      p.cleanup();
    }
  });

  it('writes a cache only when the build asks for this bundle, and uses it on the next load, in strict mode', () => {
    const bundle = fakeBundle(tempDir(), 'aaaa1111');
    expect(loadInChild(bundle, { SHIPGATE_BUILD_CODE_CACHE: 'bbbb2222' }).answer).toBe('fallback'); // another build's id: nothing written
    expect(() => readFileSync(`${bundle}.cache`)).toThrow();
    expect(loadInChild(bundle, { SHIPGATE_BUILD_CODE_CACHE: 'aaaa1111' }).answer).toBe('42');
    expect(readFileSync(`${bundle}.cache`).toString('latin1', 0, 9)).toBe('aaaa1111 ');
    expect(loadInChild(bundle, DEBUG)).toEqual({ answer: '42', stderr: 'shipgate: code cache used\n' });
  });

  it('declines a cache made for another build of the bundle, even one of the same length', () => {
    const dir = tempDir();
    const bundle = fakeBundle(dir, 'aaaa1111', 42);
    loadInChild(bundle, { SHIPGATE_BUILD_CODE_CACHE: 'aaaa1111' });
    // Rebuilt: exactly the same length, another body. V8's own check (mostly the length) would
    // run the old bytecode; the build id must not let it.
    fakeBundle(dir, 'cccc3333', 43);
    expect(loadInChild(bundle, DEBUG)).toEqual({ answer: 'fallback', stderr: 'shipgate: code cache made for another build: loading the ES module bundle\n' });
  });

  it('declines a damaged cache, which V8 itself accepted', () => {
    const bundle = fakeBundle(tempDir(), 'dddd4444');
    loadInChild(bundle, { SHIPGATE_BUILD_CODE_CACHE: 'dddd4444' });
    const cache = readFileSync(`${bundle}.cache`);
    cache[cache.length - 5] = cache[cache.length - 5]! ^ 0x01;
    writeFileSync(`${bundle}.cache`, cache);
    expect(loadInChild(bundle, DEBUG)).toEqual({ answer: 'fallback', stderr: 'shipgate: code cache damaged: loading the ES module bundle\n' });
  });

  it('declines a cache made with other Node options, and one that is absent', () => {
    const dir = tempDir();
    const bundle = fakeBundle(dir, 'eeee5555');
    loadInChild(bundle, { SHIPGATE_BUILD_CODE_CACHE: 'eeee5555' });
    expect(loadInChild(bundle, { ...DEBUG, NODE_OPTIONS: '--max-old-space-size=512' })).toEqual({
      answer: 'fallback',
      stderr: 'shipgate: code cache made by another Node version or with other Node options: loading the ES module bundle\n',
    });
    copyFileSync(bundle, join(dir, 'copy.cjs'));
    expect(loadInChild(join(dir, 'copy.cjs'), DEBUG)).toEqual({ answer: 'fallback', stderr: 'shipgate: code cache absent: loading the ES module bundle\n' });
  });
});
