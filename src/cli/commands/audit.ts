import type { RegisterCommand } from '../command.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** `shipgate audit grep | env`. Implementations load lazily (src/cli/audit-commands/grep-command.ts, env-command.ts). */
export const register: RegisterCommand = (program, io, done) => {
  const audit = program.command('audit').description('Repository audits: rg-style pattern search with an allowlist, dotenv assertions.');
  audit
    .command('grep')
    .description('Search files for a pattern like `rg -n --column`, honouring .gitignore and skipping binaries; allowed hits are counted separately')
    .argument('<pattern>', 'JavaScript regex (leading (?i) and (?P<name>) are translated; see docs/audit.md)')
    .argument('[paths...]', 'files or folders to search (default: .)')
    .option('--allow <glob>', 'allow hits in files matching this glob (repeatable)', collect, [])
    .option('--no-marker', 'ignore inline `shipgate: allow` markers')
    .option('-i, --ignore-case', 'case-insensitive match')
    .option('--hidden', 'search hidden files and folders too')
    .option('--no-ignore', 'do not honour .gitignore/.ignore/.rgignore/.git/info/exclude')
    .option('--threads <n>', 'reading threads: native ones with the native pre-filter (default: one per core, up to 4), else this one plus n-1 workers (default 1); see docs/audit.md', (v) => Number(v))
    .option('--max-hits <n>', 'counted hits tolerated before exit 1 (default 0)', (v) => Number(v), 0)
    .option('--show-allowed', 'also print allowed hits, with the rule that allowed them')
    .option('--show-skipped', 'name every skipped binary file and symlink (by default: counted, with a few examples)')
    .option('--json', 'print the report as JSON')
    .option('--sarif', 'print SARIF 2.1.0 (for GitHub code scanning)')
    .addHelpText('after', '\nExit codes: 0 no counted hits (within --max-hits) · 1 hits, or files that could not be read · 2 invalid pattern or flags')
    .action(async (pattern: string, paths: string[], opts) => {
      const { grepCommand } = await import('../audit-commands/grep-command.js');
      done(await grepCommand(io, pattern, paths, opts));
    });
  audit
    .command('env')
    .description('Assert values in a dotenv file; every finding is reported as file:line')
    .option('--file <path>', 'the dotenv file', '.env')
    .option('--equals <KEY=VALUE>', 'KEY must equal VALUE (repeatable)', collect, [])
    .option('--regex <KEY=REGEX>', 'KEY must match REGEX (repeatable)', collect, [])
    .option('--port <KEY>', 'KEY must be a port number 1-65535 (repeatable)', collect, [])
    .option('--unset <KEY>', 'KEY must not be set (repeatable)', collect, [])
    .option('--differs-from <KEY=FILE>', "KEY's value must differ from its value in FILE, e.g. JWT_SECRET=.env.development (repeatable)", collect, [])
    .option('--sensitive <KEY>', 'never show the value of KEY (repeatable)', collect, [])
    .option('--json', 'print the findings as JSON')
    .addHelpText('after', '\nExit codes: 0 all assertions hold · 1 an assertion failed · 2 unreadable file or bad flags')
    .action(async (opts) => {
      const { envCommand } = await import('../audit-commands/env-command.js');
      done(await envCommand(io, opts));
    });
};
