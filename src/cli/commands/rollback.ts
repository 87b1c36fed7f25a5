import { Option } from 'commander';
import type { RegisterCommand } from '../command.js';

export const register: RegisterCommand = (program, io, done) => {
  program
    .command('rollback')
    .description("Run the runbook's `rollback:` steps now, as a recorded run of their own (P1 incident: immediate rollback)")
    .argument('[file]', 'runbook file', 'shipgate.yml')
    .addOption(new Option('-e, --env <name>', 'target environment').makeOptionMandatory())
    .requiredOption('--reason <text>', 'why (recorded in the ledger), e.g. "P1: site down after 1.4.0"')
    .option('-y, --yes', 'do not ask for confirmation (required when not on a terminal)')
    .option('--from-run <run>', "the release run whose steps' outputs the rollback steps read (e.g. steps.backup.outputs.id); default: the newest run of this runbook in the environment that has them")
    .option('--release <version>', 'the release being rolled back, as `${{ release.version }}` reads it; default: the release of the run being rolled back')
    .option('--json', 'print events as NDJSON')
    .option('--state <dir>', 'state directory')
    .addHelpText('after', '\nExit codes: 0 rolled back · 1 a rollback step failed · 2 invalid input or not confirmed · 3 waiting for approval · 4 environment locked')
    .action(async (file: string, opts: { env: string; reason: string; yes?: boolean; json?: boolean; state?: string; fromRun?: string; release?: string }) => {
      const { rollbackCommand } = await import('../engine-commands/rollback-command.js');
      done(await rollbackCommand(io, file, opts));
    });
};
