import { Option } from 'commander';
import type { RegisterCommand } from '../command.js';

export const register: RegisterCommand = (program, io, done) => {
  program
    .command('run')
    .description('Run a runbook against an environment: steps, gates, approvals, rollback, evidence')
    .argument('[file]', 'runbook file', 'shipgate.yml')
    .addOption(new Option('-e, --env <name>', 'target environment').makeOptionMandatory())
    .option('-r, --release <version>', 'release version, available as ${{ release.version }}')
    .option('--json', 'print events as NDJSON (one RunEvent per line)')
    .option('--state <dir>', 'state directory (default: .shipgate beside the runbook; or SHIPGATE_STATE_DIR)')
    .option('--no-prompt', 'never prompt for approvals on a TTY; wait (exit 3) instead')
    .addHelpText('after', '\nExit codes: 0 succeeded · 1 failed / rolled back · 2 invalid input · 3 waiting for approval · 4 environment locked · 130 interrupted')
    .action(async (file: string, opts: { env: string; release?: string; json?: boolean; state?: string; prompt: boolean }) => {
      const { runCommand } = await import('../engine-commands/run-command.js');
      done(await runCommand(io, file, opts));
    });
  program
    .command('resume')
    .description('Continue an interrupted or waiting run from the first step that did not finish')
    .argument('<run>', 'run id (see: shipgate runs)')
    .option('--rerun <step...>', 're-run these steps that were cut off mid-way')
    .option('--skip <step...>', 'record these cut-off steps as skipped (needs --reason)')
    .option('--reason <text>', 'why the skipped steps are skipped')
    .option('--json', 'print events as NDJSON')
    .option('--state <dir>', 'state directory')
    .option('--no-prompt', 'never prompt for approvals on a TTY')
    .action(async (run: string, opts: { rerun?: string[]; skip?: string[]; reason?: string; json?: boolean; state?: string; prompt: boolean }) => {
      const { resumeCommand } = await import('../engine-commands/run-command.js');
      done(await resumeCommand(io, run, opts));
    });
};
