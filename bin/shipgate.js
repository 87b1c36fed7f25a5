#!/usr/bin/env node
// The only place that sets the process exit code (STYLE.md: thin CLI).
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

// A run's own JavaScript is a little bookkeeping between process spawns. With V8's defaults that
// code gets optimised on background threads while the engine forks the next step, and fork()
// measured slower while those threads are busy: on 200 `true` steps, spawn() took 1.8 ms instead
// of 1.3 ms. --single-threaded showed the same spawn() gain; this flag keeps the background
// threads but raises the tier-up budget 15×, so short bookkeeping stays in the baseline tiers
// while hot loops (an audit grep) are still optimised. It is set for every command because V8
// accepts a code cache only under the flags it was made with (bin/cli-loader.js), and no command
// measured slower with it. bench/engine/overhead.mjs and bench/RESULTS.md have the figures.
setFlagsFromString('--interrupt-budget=1000000');

const args = process.argv.slice(2);
// `shipgate … | head`: a closed pipe is the reader's choice, not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // Fast path: answering the version needs none of the command table.
  const { VERSION } = await import('../dist/cli/version.js');
  process.stdout.write(`${VERSION}\n`);
} else {
  // The bundle (scripts/bundle-cli.mjs, part of `npm run build`), loaded with its code cache.
  const { loadCli } = await import('./cli-loader.js');
  const cli = loadCli(fileURLToPath(new URL('../dist/cli-bundle/main.cjs', import.meta.url)));
  process.exitCode = await cli.exports.main(args);
  cli.saveCache();
}
