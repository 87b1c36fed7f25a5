#!/usr/bin/env node
// The only place that sets the process exit code (STYLE.md: thin CLI).
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
  // The bundle (scripts/bundle-cli.mjs, part of `npm run build`): one file set instead of ~100
  // modules, which is most of a short command's start-up.
  const { main } = await import('../dist/cli-bundle/main.js');
  process.exitCode = await main(args);
}
