import type { RegisterCommand } from '../command.js';

export const register: RegisterCommand = (program, io, done) => {
  program
    .command('status')
    .description('Show a run: status, each step with its result, approvals, and what to do next')
    .argument('[run]', 'run id (default: the newest run)')
    .option('--state <dir>', 'state directory')
    .option('--json', 'print as JSON')
    .action(async (run: string | undefined, opts: { state?: string; json?: boolean }) => {
      const { statusCommand } = await import('../engine-commands/status-command.js');
      done(await statusCommand(io, run, opts));
    });
  program
    .command('runs')
    .description('List runs, newest first')
    .option('-e, --env <name>', 'only this environment')
    .option('-n, --limit <n>', 'at most this many', '20')
    .option('--state <dir>', 'state directory')
    .option('--json', 'print as JSON')
    .action(async (opts: { env?: string; limit: string; state?: string; json?: boolean }) => {
      const { runsCommand } = await import('../engine-commands/status-command.js');
      done(await runsCommand(io, opts));
    });
};
