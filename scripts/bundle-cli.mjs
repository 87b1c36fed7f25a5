// Bundles the built CLI (dist/cli/main.js) into dist/cli-bundle/ for bin/shipgate.js, twice:
// an ES module split into chunks (every command), and one CommonJS file with a V8 code cache
// (the commands that read a runbook: run, resume, rollback, validate, plan).
//
// Why a bundle: start-up is most of a short command's time. Unbundled, Node resolves, reads and
// compiles ~100 of shipgate's modules plus zod's, yaml's and commander's (measured: `validate`
// 3.7× `node -e 0`; bench/engine/cold-start.mjs). esbuild keeps every command's modules lazy in
// one file (each module is initialised on first import), so a command still pays only for its own.
//
// Why CommonJS and a code cache: Node 20 can reuse V8's compiled bytecode only for a script it
// compiles through `vm.Script` (ES modules have no such hook before Node 22's compile cache). The
// cache is made here by running a small runbook once, so it holds the functions a run, a plan and
// a validation compile; bin/cli-loader.js uses it when it fits this Node and its options, and
// loads the split bundle otherwise. Measured: start-up before the first step of a run fell by
// 45–70 ms, `validate` by ~20 % (bench/RESULTS.md, "Fifth session"). Why not for every command:
// the single file and its cache cost a short command more than they save (`--help` +14 ms,
// `audit grep` +31 ms), so the others keep the split bundle.
//
// What stays outside the bundle: packages with native code or files they locate beside themselves
// (better-sqlite3, libpg-query's and tree-sitter's wasm, playwright), and those only a few
// commands load. They are loaded from node_modules as usual; each of them ships CommonJS, which
// the CommonJS bundle needs. Two exceptions in the CommonJS bundle: execa is ESM-only, which Node
// 20 cannot require(), so it is included; and so is better-sqlite3's JavaScript (not its addon),
// so that the code cache covers it.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli-bundle');
/** The CommonJS bundle's name; bin/shipgate.js loads dist/cli-bundle/runbook-commands.cjs. */
const CJS_NAME = 'runbook-commands';
const cjsPath = join(outdir, `${CJS_NAME}.cjs`);
/** Resolves packages as the CommonJS bundle will, from its folder. */
const requireHere = createRequire(cjsPath);
rmSync(outdir, { recursive: true, force: true });

const external = [
  'better-sqlite3',
  'pg',
  'mysql2',
  'redis',
  'playwright-core',
  'libpg-query',
  'web-tree-sitter',
  'tree-sitter-python',
  'node-sql-parser',
  'hono',
  '@hono/node-server',
];
// Every command: an ES module with code splitting, so a command loads only its own modules.
// The grep worker is an entry of its own, next to the chunk that starts it
// (new URL('./grep-worker.js', import.meta.url)).
await build({
  entryPoints: { main: join(root, 'dist/cli/main.js'), 'grep-worker': join(root, 'dist/audit/grep/grep-worker.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  external: [...external, 'execa'],
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: { js: "import { createRequire as __shipgateRequire } from 'node:module'; const require = __shipgateRequire(import.meta.url);" },
  logLevel: 'warning',
  legalComments: 'none',
});

// The runbook commands: one CommonJS file, with the code cache made below. It lives beside the
// chunks, so import.meta.url-relative paths (the grep worker) resolve the same way.
// Ties the code cache to this exact bundle: bin/cli-loader.js uses a cache only when the bundle
// ends with the id its cache was made for (V8's own check compares little more than the length).
const buildId = randomBytes(8).toString('hex');
await build({
  entryPoints: { [CJS_NAME]: join(root, 'dist/cli/main.js') },
  outdir,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // better-sqlite3's JavaScript is bundled here, so the code cache covers it (its addon is named
  // by src/core/sqlite-driver.ts, which this bundle cannot leave to better-sqlite3's own search).
  external: external.filter((name) => name !== 'better-sqlite3'),
  // import() of an external package becomes require(): every external ships CommonJS, and a
  // script compiled with V8's code cache cannot run import() in Node 20 (the host callback is
  // lost for functions compiled after the cache was read: ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING).
  supported: { 'dynamic-import': false },
  define: {
    // The sources locate files beside themselves with import.meta.url (the grep worker,
    // createRequire); here that is the bundle's own URL, as for the chunks.
    'import.meta.url': '__shipgateModuleUrl',
    // src/core/sqlite-driver.ts falls back to the installed better-sqlite3 when it is another version.
    __SHIPGATE_BUNDLED_BETTER_SQLITE3__: JSON.stringify(requireHere('better-sqlite3/package.json').version),
  },
  banner: { js: "var __shipgateModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  footer: { js: `//# shipgate-build=${buildId}` },
  logLevel: 'warning',
  legalComments: 'none',
});

let cjsText = readFileSync(cjsPath, 'utf8');
// ASCII only, so bin/cli-loader.js can read it as latin1, a plain copy, instead of decoding UTF-8
// (measured 0.5 against 6.5 ms when it was 1.8 MB). esbuild escapes strings but leaves comments and
// regex literals as written. A \uXXXX escape is the same character in a comment, a string, a
// template and a regex (a surrogate pair included). A raw template (String.raw) would keep the
// escape as text, so the build refuses one.
if (/[^\x00-\x7f]/.test(cjsText)) {
  if (cjsText.includes('String.raw')) throw new Error(`bundle-cli: ${CJS_NAME}.cjs uses String.raw and has non-ASCII text; escaping it could change a raw template`);
  cjsText = cjsText.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  writeFileSync(cjsPath, cjsText);
}
// Guard for `supported` above: an import() left in the bundle would fail at run time, and only on
// the code path that reaches it.
const dynamicImport = /\bimport\(/.exec(cjsText);
if (dynamicImport) throw new Error(`bundle-cli: dist/cli-bundle/${CJS_NAME}.cjs still calls import() at offset ${dynamicImport.index}; make that package external-with-CommonJS or bundle it`);
// And every package it require()s must load as CommonJS from there: one that turned ESM-only
// would otherwise fail only on the code path that reaches it, on Node 20 (ERR_REQUIRE_ESM).
for (const name of new Set([...cjsText.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]))) {
  if (name.startsWith('node:') || isBuiltin(name)) continue;
  try {
    requireHere(name);
  } catch (e) {
    throw new Error(`bundle-cli: ${CJS_NAME}.cjs requires ${name}, which does not load as CommonJS here (${e.code ?? e.message}); bundle it instead of keeping it external`);
  }
}

/**
 * Runs a small runbook through the new bundle with SHIPGATE_BUILD_CODE_CACHE set, which makes
 * bin/cli-loader.js write the compiled code when the command ends. A cache is kept only when that
 * run succeeded. A failure only loses the speed-up (the runbook commands then load the split
 * bundle), so the build goes on and says why.
 */
function writeCodeCache() {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-code-cache-'));
  const cache = `${cjsPath}.cache`;
  try {
    writeFileSync(join(dir, 'shipgate.yml'), WARM_RUNBOOK);
    const env = { ...process.env, SHIPGATE_BUILD_CODE_CACHE: buildId, SHIPGATE_ACTOR: 'build', NO_COLOR: '1' };
    // Node options are part of what the cache is checked against; a user's (say a larger heap)
    // would make it fit only their own shell.
    delete env.NODE_OPTIONS;
    execFileSync(process.execPath, [join(root, 'bin', 'shipgate.js'), 'run', '--env', 'warm', '--state', join(dir, 'state')], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
  } catch (e) {
    rmSync(cache, { force: true });
    const why = [e.stdout, e.stderr].map((b) => b?.toString().trim()).filter(Boolean).join('\n') || e.message;
    process.stderr.write(`bundle-cli: no code cache (run, resume, rollback, validate and plan will load the split bundle instead): the warm-up run failed:\n${why}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Exercises what most runs compile: validation, planning, expressions, outputs, `expect`, the
// store and ledger, the plain reporter. `sh`, so that a machine without bash still gets a cache.
// Expressions stand unquoted: a value is shell-quoted where it is expanded (inside "…" the quotes
// would be part of the output, and `use` would be skipped).
const WARM_RUNBOOK = `version: 1
name: code-cache-warm-up
environments:
  warm:
    vars: { greeting: hello }
phases:
  - id: build
    steps:
      - id: say
        shell: sh
        run: echo \${{ vars.greeting }} && echo word=\${{ vars.greeting }} >> "$SHIPGATE_OUTPUT"
        expect: { stdout: "hello", stdout-not: "error" }
      - id: use
        needs: [say]
        shell: sh
        if: \${{ steps.say.outputs.word == 'hello' }}
        run: echo \${{ steps.say.outputs.word }} \${{ run.id }}
`;

writeCodeCache();
