// Bundles the built CLI (dist/cli/main.js) into dist/cli-bundle/ for bin/shipgate.js.
//
// Why: start-up is most of a short command's time. Unbundled, Node resolves, reads and compiles
// ~100 of shipgate's modules plus zod's, yaml's and commander's (measured: `validate` 3.7× `node
// -e 0`; bench/engine/cold-start.mjs). One bundle with code splitting keeps every command's
// module lazy (main.ts imports only the invoked command) while removing the per-file cost.
//
// What stays outside the bundle: packages with native code or files they locate beside
// themselves (better-sqlite3, libpg-query's and tree-sitter's wasm, playwright), and those only
// a few commands load. They are imported from node_modules as usual.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli-bundle');
rmSync(outdir, { recursive: true, force: true });

await build({
  entryPoints: {
    main: join(root, 'dist/cli/main.js'),
    // Located next to the chunk that starts it (new URL('./grep-worker.js', import.meta.url)):
    // chunks and entries share one folder for that reason.
    'grep-worker': join(root, 'dist/audit/grep/grep-worker.js'),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  external: [
    'better-sqlite3',
    'pg',
    'mysql2',
    'redis',
    'playwright-core',
    'libpg-query',
    'web-tree-sitter',
    'tree-sitter-python',
    'node-sql-parser',
    'execa',
    'hono',
    '@hono/node-server',
  ],
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: { js: "import { createRequire as __shipgateRequire } from 'node:module'; const require = __shipgateRequire(import.meta.url);" },
  logLevel: 'warning',
  legalComments: 'none',
});
