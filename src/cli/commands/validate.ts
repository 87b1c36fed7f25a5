import { ExitCode } from '../../core/exit-codes.js';
import { DEFAULT_RUNBOOK, type RegisterCommand } from '../command.js';

/** `shipgate validate [FILE] [--json]`: every problem at once, gcc style; exit 0 valid, 2 invalid. */
export const register: RegisterCommand = (program, io, done) => {
  program
    .command('validate')
    .description('Check a runbook and report every problem at once as FILE:LINE:COL: error CODE message (exit 0 valid, 2 invalid).')
    .argument('[file]', 'the runbook file', DEFAULT_RUNBOOK)
    .option('--json', 'print {file, valid, diagnostics} as JSON instead of text')
    .action(async (file: string, opts: { json?: boolean }) => {
      const { validateRunbookFile } = await import('../../runbook/validate-command.js');
      done((await validateRunbookFile(file, { json: opts.json === true }, io)) ? ExitCode.Success : ExitCode.InvalidInput);
    });
};
