#!/usr/bin/env node
// The only place that sets the process exit code (STYLE.md: thin CLI).
//
// CommonJS (bin/package.json), not an ES module: an ES module entry point starts Node's module
// loader for ES modules before the first line runs (~4 ms measured on `node file`), and the
// runbook commands never need it. The other commands import the ES module bundle when they run.
'use strict';
const { join } = require('node:path');
const { setFlagsFromString } = require('node:v8');

/**
 * Commands that read a runbook load the CommonJS bundle with its V8 code cache (start-up is a
 * visible share of their time); the others load the split ES module bundle, which costs a short
 * command less. scripts/bundle-cli.mjs builds both and has the measurements.
 */
const RUNBOOK_COMMANDS = new Set(['run', 'resume', 'rollback', 'validate', 'plan']);

const args = process.argv.slice(2);
/** Whether the command has finished (below: a command that never does exits 1). */
let settled = false;
/**
 * Commands that only read may stop when their output's reader goes away (`shipgate runs | head`).
 * Every other command goes on, its later lines lost: stopping a run, a restore or a migration
 * half-way because a pipe closed would leave it half done, and exit 0.
 */
const READ_ONLY = new Set(['status', 'runs', 'schema', 'validate', 'plan', 'help', '--help', '-h', '--version', '-V', undefined]);
// `shipgate … | head`: a closed pipe is the reader's choice, not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
    if (!READ_ONLY.has(args[0])) return;
    const code = settled ? process.exitCode : 0;
    settled = true;
    process.exit(code);
  });
}

async function start() {
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    // Fast path: answering the version needs none of the command table.
    const { VERSION } = await import('../dist/cli/version.js');
    process.stdout.write(`${VERSION}\n`);
  } else if (RUNBOOK_COMMANDS.has(args[0])) {
    // A run's own JavaScript is a little bookkeeping between process spawns. With V8's defaults
    // that code gets optimised on background threads while the engine forks the next step, and
    // fork() measured slower while those threads are busy: on 200 `true` steps, spawn() took 1.8 ms
    // instead of 1.3 ms. --single-threaded showed the same spawn() gain; this flag keeps the
    // background threads but raises the tier-up budget 15×, so short bookkeeping stays in the
    // baseline tiers while hot loops (an audit grep run as a step) are still optimised. It is set
    // for `validate` and `plan` too because V8 accepts a code cache only under the flags it was
    // made with (bin/cli-loader.js). bench/engine/overhead.mjs and bench/RESULTS.md have the figures.
    setFlagsFromString('--interrupt-budget=1000000');
    const { loadCachedCli } = require('./cli-loader.js');
    const cli = loadCachedCli(join(__dirname, '..', 'dist', 'cli-bundle', 'runbook-commands.cjs'));
    // No usable cache (another Node, other Node options, none built): the split bundle is faster.
    const { main } = cli?.exports ?? (await import('../dist/cli-bundle/main.js'));
    process.exitCode = await main(args);
    cli?.saveCache();
  } else {
    // `audit grep` starts its git listings now, on the core that idles while the CLI loads.
    if (args[0] === 'audit' && args[1] === 'grep') require('./grep-prefetch.js').prefetch(args.slice(2));
    // The split bundle: one file set instead of ~100 modules, each command's chunks loaded lazily.
    const { main } = await import('../dist/cli-bundle/main.js');
    process.exitCode = await main(args);
  }
}

// If main() never settles (the event loop empties while it waits), Node would exit 0, which a CI
// job reads as success. An ES module entry point exited 13 there; this one exits 1 and says so.
// (Not by setting the exit code up front: commander's `help` reads it as its own.)
process.on('exit', () => {
  if (settled) return;
  process.stderr.write('shipgate: internal error (a bug): the command stopped without a result\n');
  process.exitCode = 1;
});
// main() turns every error into an exit code; anything escaping it is a bug worth its stack.
start()
  .catch((e) => {
    process.stderr.write(`shipgate: internal error (a bug): ${e?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    settled = true;
  });
