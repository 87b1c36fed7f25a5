import { Option } from 'commander';
import type { RegisterCommand } from '../command.js';

export const register: RegisterCommand = (program, io, done) => {
  program
    .command('plan')
    .description('Print the plan a run would execute: steps in order, with what each needs (pure; runs nothing)')
    .argument('[file]', 'runbook file', 'shipgate.yml')
    .addOption(new Option('-e, --env <name>', 'target environment').makeOptionMandatory())
    .option('-r, --release <version>', 'release version, available as ${{ release.version }}')
    .option('--json', 'print the exact Plan object `run` executes')
    .action(async (file: string, opts: { env: string; release?: string; json?: boolean }) => {
      const { planCommand } = await import('../engine-commands/plan-command.js');
      done(await planCommand(io, file, opts));
    });
};
