// Loads the CLI bundle (dist/cli-bundle/main.cjs) with V8's code cache when there is a usable one.
//
// Hand-written because Node 20 offers no module compile cache (Node 22's module.enableCompileCache
// is that); a `vm.Script` with `cachedData` is the supported way to reuse V8's bytecode. The
// bundle is CommonJS for that reason (scripts/bundle-cli.mjs says how the cache is made).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import vm from 'node:vm';

/** The CommonJS wrapper, on the bundle's first line so that line numbers stay the bundle's. */
const HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const TAIL = '\n})';
const BUILD_ID = /\/\/# shipgate-build=([0-9a-f]+)\s*$/;

/**
 * Loads the bundle and returns its exports, plus `saveCache()`, which writes the compiled code of
 * everything run so far when the build asked for it (SHIPGATE_BUILD_CODE_CACHE=<the bundle's
 * build id>); it does nothing otherwise.
 *
 * The cache is used only when it was made for this very bundle (its build id) and V8 accepts it
 * (same V8 version and flags); otherwise the bundle compiles from source as it would without one.
 * SHIPGATE_DEBUG_CODE_CACHE=1 says on stderr which happened.
 */
export function loadCli(bundlePath) {
  const cachePath = `${bundlePath}.cache`;
  const source = readFileSync(bundlePath, 'utf8');
  const buildId = BUILD_ID.exec(source.slice(-64))?.[1];
  const cache = readCacheFor(cachePath, buildId);
  const cachedData = cache.data;
  // No importModuleDynamically: the bundle has no import() (scripts/bundle-cli.mjs turns them into
  // require), which is also why its external packages must ship CommonJS.
  const script = new vm.Script(HEAD + source + TAIL, { filename: bundlePath, cachedData });
  if (process.env.SHIPGATE_DEBUG_CODE_CACHE === '1') {
    process.stderr.write(`shipgate: code cache ${cachedData === undefined ? cache.state : script.cachedDataRejected ? 'rejected by V8' : 'used'}\n`);
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath));
  return {
    exports: module.exports,
    saveCache() {
      const wanted = process.env.SHIPGATE_BUILD_CODE_CACHE;
      if (!wanted || wanted !== buildId) return;
      const data = script.createCachedData();
      writeFileSync(cachePath, Buffer.concat([Buffer.from(`${buildId} ${sha256(data)}\n`), data]));
    },
  };
}

/**
 * The cached code, after a first line naming the build it was made for and its sha256, or why
 * there is none. The digest is checked here because V8 does not always notice a changed byte
 * (measured: one flipped bit near the end was accepted).
 */
function readCacheFor(cachePath, buildId) {
  let file;
  try {
    file = readFileSync(cachePath);
  } catch {
    return { state: 'absent' };
  }
  const nl = file.indexOf(10);
  const [id, digest] = nl < 0 ? [] : file.toString('latin1', 0, nl).split(' ');
  if (!buildId || id !== buildId) return { state: 'made for another build' };
  const data = file.subarray(nl + 1);
  return digest === sha256(data) ? { state: 'intact', data } : { state: 'damaged' };
}

function sha256(data) {
  return createHash('sha256').update(data).digest('hex');
}
