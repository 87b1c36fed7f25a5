import type { RegisterCommand } from '../command.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

export const register: RegisterCommand = (program, io, done) => {
  program
    .command('approve')
    .description('Approve a step that waits for a person (manual step or inconclusive check); then `shipgate resume RUN`')
    .argument('<run>', 'run id')
    .argument('<step>', 'step id')
    .option('--item <n=pass|fail[:note]>', 'answer checklist item N (repeatable)', collect)
    .option('--all-pass', 'answer every checklist item pass (you checked them all)')
    .option('--note <text>', 'a note for the record')
    .option('--state <dir>', 'state directory')
    .option('--json', 'print the recorded approval as JSON')
    .action(async (run: string, step: string, opts: { item?: string[]; allPass?: boolean; note?: string; state?: string; json?: boolean }) => {
      const { decideCommand } = await import('../engine-commands/decide-command.js');
      done(await decideCommand(io, 'approved', run, step, opts));
    });
  program
    .command('reject')
    .description('Reject a waiting step; the run fails (and rolls back if its phase says so) on resume')
    .argument('<run>', 'run id')
    .argument('<step>', 'step id')
    .requiredOption('--note <text>', 'why it is rejected')
    .option('--item <n=pass|fail[:note]>', 'answer checklist item N (repeatable)', collect)
    .option('--state <dir>', 'state directory')
    .option('--json', 'print the recorded rejection as JSON')
    .action(async (run: string, step: string, opts: { item?: string[]; note: string; state?: string; json?: boolean }) => {
      const { decideCommand } = await import('../engine-commands/decide-command.js');
      done(await decideCommand(io, 'rejected', run, step, opts));
    });
  program
    .command('cancel')
    .description('Abandon an unfinished run and release its environment lock (nothing is undone)')
    .argument('<run>', 'run id')
    .requiredOption('--reason <text>', 'why it is cancelled')
    .option('--state <dir>', 'state directory')
    .action(async (run: string, opts: { reason: string; state?: string }) => {
      const { cancelCommand } = await import('../engine-commands/decide-command.js');
      done(await cancelCommand(io, run, opts));
    });
};
