import type { Command } from 'commander';
import type { RegisterCommand } from '../command.js';

/** Options every data command shares. */
export interface DataCliOptions {
  readonly env?: string;
  readonly json?: boolean;
  readonly state?: string;
}

const EXIT_CODES = '\nExit codes: 0 success · 1 backup/verification/restore/rehearsal failed (the error names the file, check or database, and the next command) · 2 invalid input (runbook, flags, restore without --yes off a terminal)\nDocs: docs/data.md';

const common = (c: Command): Command =>
  c
    .addHelpText('after', EXIT_CODES)
    .option('-e, --env <name>', 'environment (a key of `environments:`); default: the only one, if there is one')
    .option('--json', 'print the result as JSON on stdout')
    .option('--state <dir>', 'state directory (default: SHIPGATE_STATE_DIR, else .shipgate/ beside the runbook)');

/**
 * `shipgate backup create|verify|list|restore|prune` and `shipgate rehearse` (docs/data.md).
 * The implementation (src/actions/data/backup-cli.ts) is imported only when a command runs.
 */
export const register: RegisterCommand = (program, io, done) => {
  const impl = () => import('../../actions/data/backup-cli.js');
  const backup = program.command('backup').description('Create, verify, list, restore and prune verified backups of the runbook\'s `data:`.');
  common(backup.command('create').description('Back up the database and storage folders into data.backups/<env>/<id>/ and record it in the ledger.').argument('[FILE]', 'runbook file', 'shipgate.yml'))
    .action(async (file: string, o: DataCliOptions) => done(await (await impl()).backupCreate(io, file, o)));
  common(backup.command('verify').description('Re-hash every file, restore into scratch and check it; the ledger records the verdict.').argument('<ID>', 'backup id (from `shipgate backup list`)').argument('[FILE]', 'runbook file', 'shipgate.yml'))
    .option('--keep-scratch', 'leave the scratch restore in place for inspection')
    .option('--allow-empty-database', 'accept a database with no tables (otherwise verification fails: nothing to verify)')
    .action(async (id: string, file: string, o: DataCliOptions & { keepScratch?: boolean; allowEmptyDatabase?: boolean }) => done(await (await impl()).backupVerify(io, id, file, o)));
  common(backup.command('list').description('List backups of an environment, newest first, with their verification status from the ledger.').argument('[FILE]', 'runbook file', 'shipgate.yml'))
    .action(async (file: string, o: DataCliOptions) => done(await (await impl()).backupList(io, file, o)));
  common(backup.command('restore').description('Restore a verified backup over the live data (safety backup first; protected paths never written).').argument('<ID>', 'backup id (from `shipgate backup list`)').argument('[FILE]', 'runbook file', 'shipgate.yml'))
    .option('-y, --yes', 'do not ask for confirmation (required when stdin is not a terminal)')
    .action(async (id: string, file: string, o: DataCliOptions & { yes?: boolean }) => done(await (await impl()).backupRestore(io, id, file, o)));
  common(backup.command('prune').description('Delete old backups, keeping the N newest per environment and always the newest verified one.').argument('[FILE]', 'runbook file', 'shipgate.yml'))
    .option('--keep <n>', 'how many to keep (default: data.keep)', (v) => Number.parseInt(v, 10))
    .option('--dry-run', 'show what would be deleted, delete nothing')
    .action(async (file: string, o: DataCliOptions & { keep?: number; dryRun?: boolean }) => done(await (await impl()).backupPrune(io, file, o)));
  common(program.command('rehearse').description('Restore the newest verified backup to scratch, run migrations.apply and smoke steps against it, record schema before/after.').argument('[FILE]', 'runbook file', 'shipgate.yml'))
    .option('--smoke <ids>', 'comma-separated ids of run: steps to run against the restored copy', (v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .option('--keep-scratch', 'leave the scratch copy in place for inspection')
    .option('--allow-unchanged-schema', 'pass even if the migration leaves the scratch schema unchanged (nothing pending, or a data-only migration)')
    .action(async (file: string, o: DataCliOptions & { smoke?: string[]; keepScratch?: boolean; allowUnchangedSchema?: boolean }) => done(await (await impl()).rehearseCommand(io, file, o)));
};
