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
  writeFileSync(file, `exports.answer = () => ${answer};\nexports.sep = require('node:path').sep;\n//# shipgate-build=${id}\n`);
  return file;
}

/**
 * Loads `bundle` with bin/cli-loader.js in a fresh Node process (V8 keeps compiled scripts in
 * memory, so a second load in this process would never consult the cache), prints what
 * `answer()` returns, then calls saveCache().
 */
function loadInChild(bundle: string, env: Record<string, string> = {}): { answer: string; stderr: string } {
  const code = `import(${JSON.stringify(LOADER_URL)}).then(({ loadCli }) => { const cli = loadCli(${JSON.stringify(bundle)}); process.stdout.write(String(cli.exports.answer())); cli.saveCache(); })`;
  const r = spawnSync(process.execPath, ['-e', code], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`loader child failed: ${r.stderr}`);
  return { answer: r.stdout, stderr: r.stderr };
}

describe('the CLI bundle and its V8 code cache (bin/cli-loader.js)', () => {
  const tree = useTempTrees(afterEach);
  const tempDir = () => tree({});

  it('the built CLI runs with the cache the build made (V8 accepts it)', async () => {
    const p = tempProject(readFileSync(join(ROOT, 'examples', 'demo', 'shipgate.yml'), 'utf8'));
    try {
      const r = await shipgate(['validate'], { cwd: p.dir, env: { SHIPGATE_DEBUG_CODE_CACHE: '1' } });
      expect(r.stderr).toContain('shipgate: code cache used');
      expect(r.exitCode).toBe(0);
    } finally {
      p.cleanup();
    }
  });

  it('writes a cache only when the build asks for this bundle, and uses it on the next load', () => {
    const bundle = fakeBundle(tempDir(), 'aaaa1111');
    loadInChild(bundle, { SHIPGATE_BUILD_CODE_CACHE: 'bbbb2222' });
    expect(() => readFileSync(`${bundle}.cache`)).toThrow(); // another build's id: nothing written
    loadInChild(bundle, { SHIPGATE_BUILD_CODE_CACHE: 'aaaa1111' });
    expect(readFileSync(`${bundle}.cache`).toString('latin1', 0, 9)).toBe('aaaa1111 ');
    expect(loadInChild(bundle, { SHIPGATE_DEBUG_CODE_CACHE: '1' })).toEqual({ answer: '42', stderr: 'shipgate: code cache used\n' });
  });

  it('ignores a cache made for another build of the bundle, even one of the same length', () => {
    const dir = tempDir();
    const bundle = fakeBundle(dir, 'aaaa1111', 42);
    loadInChild(bundle, { SHIPGATE_BUILD_CODE_CACHE: 'aaaa1111' });
    // Rebuilt: exactly the same length, another body. V8's own check (mostly the length) would
    // run the old bytecode; the build id must not let it.
    fakeBundle(dir, 'cccc3333', 43);
    expect(loadInChild(bundle, { SHIPGATE_DEBUG_CODE_CACHE: '1' })).toEqual({ answer: '43', stderr: 'shipgate: code cache made for another build\n' });
  });

  it('a damaged cache is not used and the bundle compiles from source', () => {
    const bundle = fakeBundle(tempDir(), 'dddd4444');
    loadInChild(bundle, { SHIPGATE_BUILD_CODE_CACHE: 'dddd4444' });
    const cache = readFileSync(`${bundle}.cache`);
    cache[cache.length - 5] = cache[cache.length - 5]! ^ 0x01;
    writeFileSync(`${bundle}.cache`, cache);
    // One flipped bit near the end: V8 itself accepted such a cache (measured), the digest does not.
    expect(loadInChild(bundle, { SHIPGATE_DEBUG_CODE_CACHE: '1' })).toEqual({ answer: '42', stderr: 'shipgate: code cache damaged\n' });
  });

  it('without a cache file the bundle still loads', () => {
    const dir = tempDir();
    copyFileSync(fakeBundle(dir, 'eeee5555'), join(dir, 'copy.cjs'));
    expect(loadInChild(join(dir, 'copy.cjs'), { SHIPGATE_DEBUG_CODE_CACHE: '1' })).toEqual({ answer: '42', stderr: 'shipgate: code cache absent\n' });
  });
});
