import { Option } from 'commander';
import type { RegisterCommand } from '../command.js';

export const register: RegisterCommand = (program, io, done) => {
  const group = program.command('migrations').description('Classify migrations before they run, and read their status from the database');
  group
    .command('lint')
    .description('Classify each migration as none/additive/breaking/unknown, with findings on compatibility, data risk and lock risk')
    .argument('[paths...]', 'migration files or folders (default: migrations.dir of the runbook)')
    .option('--runbook <file>', 'runbook whose migrations: block gives dir, tool and dialect (default: shipgate.yml if present)')
    .addOption(new Option('--tool <tool>', 'migration layout (default: from the runbook, else inferred from the files)').choices(['sql', 'prisma', 'alembic']))
    .addOption(new Option('--dialect <dialect>', 'SQL dialect (default: from the runbook, else postgres)').choices(['postgres', 'sqlite', 'mysql']))
    .option('--since <ref>', 'only migrations added or changed since this git ref (git diff --name-only, plus untracked files)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif', 'markdown']).default('text'))
    .addOption(new Option('--fail-on <class>', 'exit 1 when a migration is at least this class (breaking includes unknown)').choices(['breaking', 'unknown', 'additive', 'never']).default('breaking'))
    .option('--max-bytes <n>', 'files larger than this are not parsed (reported as file-too-large)', (v) => Number.parseInt(v, 10))
    .addHelpText('after', '\nExit codes: 0 nothing at or above --fail-on · 1 a migration at or above --fail-on · 2 invalid input\nRules and safe alternatives: docs/migrations.md')
    .action(async (paths: string[], opts: { runbook?: string; tool?: 'sql' | 'prisma' | 'alembic'; dialect?: 'postgres' | 'sqlite' | 'mysql'; since?: string; format: 'text' | 'json' | 'sarif' | 'markdown'; failOn: 'breaking' | 'unknown' | 'additive' | 'never'; maxBytes?: number }) => {
      const { lintCommand } = await import('../../actions/migrations/cli.js');
      done(await lintCommand(io, paths, opts));
    });
  group
    .command('status')
    .description('Applied, pending, failed and unknown-in-db migrations, from the tool\'s bookkeeping table (_prisma_migrations, alembic_version, shipgate_migrations)')
    .option('--runbook <file>', 'runbook with the migrations: block (default: shipgate.yml)')
    .option('--database-url <url>', 'database to read (default: data.database of the runbook); postgres://, mysql:// or a SQLite path')
    .option('--json', 'print the status object as JSON')
    .addHelpText('after', '\nExit codes: 0 read · 1 a failed migration is recorded · 2 invalid input')
    .action(async (opts: { runbook?: string; databaseUrl?: string; json?: boolean }) => {
      const { statusCommand } = await import('../../actions/migrations/cli.js');
      done(await statusCommand(io, opts));
    });
};
