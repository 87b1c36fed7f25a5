import type { RegisterCommand } from '../command.js';

/** `shipgate gate`: the merge gate for CI on a pull request. Implementation loads lazily. */
export const register: RegisterCommand = (program, io, done) => {
  program
    .command('gate')
    .description('Merge gate for a pull request: checklist ticked, migration + rollback plans, staged plan for breaking migrations, recent backup verification evidence, audit and secret checks green')
    .argument('[file]', 'runbook file', 'shipgate.yml')
    .option('--base <ref>', 'the branch the PR merges into (git diff BASE...HEAD)', 'origin/main')
    .option('--pr-body <file>', 'the PR description (default: pull_request.body from $GITHUB_EVENT_PATH)')
    .option('--evidence <dir>', 'an evidence export committed with the PR (ledger.json, run.json, run.md; verified as a bundle, then against the live ledger or --trusted-head)')
    .option('--trusted-head <hash>', 'a ledger entry hash from a protected place (e.g. a CI variable only maintainers set): without a live ledger, only --evidence entries up to this entry count; without either the evidence is UNVERIFIABLE')
    .option('--env <name>', "the environment the release goes to; backup evidence must be of it (default: the runbook's only environment, else production)")
    .option('--max-evidence-age <duration>', 'how recent the backup verification must be', '7d')
    .option('--no-history', 'do not search the git history in secrets checks')
    .option('--no-ledger', 'do not read the local state store (CI usually has none)')
    .option('--state <dir>', 'state directory (default: $SHIPGATE_STATE_DIR, else .shipgate/ beside the runbook)')
    .option('--json', 'print the gate report as JSON instead of Markdown')
    .addHelpText('after', '\nWrites a Markdown summary to $GITHUB_STEP_SUMMARY when set (else stdout) and ::error annotations to stdout.\nExit codes: 0 gate met · 5 gate not met (each unmet condition is listed with how to meet it) · 2 invalid input (runbook, PR body, event payload)')
    .action(async (file: string, opts) => {
      const { gateCommand } = await import('../audit-commands/gate-command.js');
      done(await gateCommand(io, file, opts));
    });
};
