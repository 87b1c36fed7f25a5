// Loads the runbook commands' bundle (dist/cli-bundle/runbook-commands.cjs) with V8's code cache,
// when there is one this process can use.
//
// Hand-written because Node 20 offers no module compile cache (Node 22's module.enableCompileCache
// is that); a `vm.Script` with `cachedData` is the supported way to reuse V8's bytecode. The
// bundle is CommonJS for that reason (scripts/bundle-cli.mjs says how the cache is made).
'use strict';
const { isAscii } = require('node:buffer');
const { createHash } = require('node:crypto');
const { closeSync, fstatSync, openSync, readFileSync, readSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname } = require('node:path');
const vm = require('node:vm');

/**
 * The CommonJS wrapper, on the bundle's first line so that line numbers stay the bundle's. Strict,
 * as the ES module bundle is: esbuild's own "use strict" sits after the bundle's banner, where it
 * is not a directive.
 */
const HEAD = '(function (exports, require, module, __filename, __dirname) { "use strict"; ';
const TAIL = '\n})';
const BUILD_ID = /\/\/# shipgate-build=([0-9a-f]+)\s*$/;

/**
 * Loads the bundle with its code cache and returns its exports, plus `saveCache()`; or undefined
 * when the cache cannot be used here (absent, made for another build of the bundle, damaged, or
 * made by another Node, architecture or set of Node options, which V8 would reject). The caller
 * then loads the split ES module bundle, which starts faster than this one compiled from source.
 *
 * The build sets SHIPGATE_BUILD_CODE_CACHE=<the bundle's build id>: the bundle is then loaded
 * without a cache and `saveCache()` writes one. SHIPGATE_DEBUG_CODE_CACHE=1 says on stderr what
 * happened.
 */
function loadCachedCli(bundlePath) {
  const cachePath = `${bundlePath}.cache`;
  const buildId = readBuildId(bundlePath);
  const building = buildId !== undefined && process.env.SHIPGATE_BUILD_CODE_CACHE === buildId;
  const cache = building ? { state: 'being made' } : readCacheFor(cachePath, buildId);
  const debug = process.env.SHIPGATE_DEBUG_CODE_CACHE === '1' ? (what) => process.stderr.write(`shipgate: code cache ${what}\n`) : () => {};
  if (!building && cache.data === undefined) {
    debug(`${cache.state}: loading the ES module bundle`);
    return undefined;
  }
  // The build makes the bundle ASCII (scripts/bundle-cli.mjs), which latin1 reads as a plain copy.
  const bytes = readFileSync(bundlePath);
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const script = new vm.Script(HEAD + source + TAIL, { filename: bundlePath, cachedData: cache.data });
  // Rejected here means the checks above missed a difference V8 sees; the bundle still runs.
  debug(building ? cache.state : script.cachedDataRejected ? 'rejected by V8' : 'used');
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath));
  return {
    exports: module.exports,
    saveCache() {
      if (!building) return;
      const data = script.createCachedData();
      writeFileSync(cachePath, Buffer.concat([Buffer.from(`${buildId} ${sha256(data)} ${runtimeFingerprint()}\n`), data]));
    },
  };
}

/** The build id in the bundle's last line, read alone (the bundle is most of a megabyte). */
function readBuildId(bundlePath) {
  let fd;
  try {
    fd = openSync(bundlePath, 'r');
    const size = fstatSync(fd).size;
    const tail = Buffer.alloc(Math.min(64, size));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    return BUILD_ID.exec(tail.toString('latin1'))?.[1];
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The cached code, after a first line naming the build it was made for, its sha256 and the
 * runtime that made it; or why there is none. The digest is checked here because V8 does not
 * always notice a changed byte (measured: one flipped bit near the end was accepted).
 */
function readCacheFor(cachePath, buildId) {
  let file;
  try {
    file = readFileSync(cachePath);
  } catch {
    return { state: 'absent' };
  }
  const nl = file.indexOf(10);
  const [id, digest, runtime] = nl < 0 ? [] : file.toString('latin1', 0, nl).split(' ');
  if (!buildId || id !== buildId) return { state: 'made for another build' };
  if (runtime !== runtimeFingerprint()) return { state: 'made by another Node version or with other Node options' };
  const data = file.subarray(nl + 1);
  return digest === sha256(data) ? { state: 'intact', data } : { state: 'damaged' };
}

/**
 * What V8 checks a cache against, as far as this process can tell: Node's version (V8's), the
 * architecture, and the options Node was started with (V8 flags such as --max-old-space-size
 * make it reject a cache; other options are counted too, to be safe).
 */
function runtimeFingerprint() {
  const options = JSON.stringify([process.version, process.arch, process.execArgv, process.env.NODE_OPTIONS ?? '']);
  return sha256(options).slice(0, 16);
}

function sha256(data) {
  return createHash('sha256').update(data).digest('hex');
}

exports.loadCachedCli = loadCachedCli;
