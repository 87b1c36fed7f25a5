import { Command, CommanderError } from 'commander';
import { ExitCode } from '../core/exit-codes.js';
import { isUserError } from '../core/errors.js';
import type { RegisterCommand } from './command.js';
import { processIO, type CliIO } from './io.js';
import { VERSION } from './version.js';

// One module per command (or command group). Each is small and imports its implementation lazily.
import { register as registerValidate } from './commands/validate.js';
import { register as registerSchema } from './commands/schema.js';
import { register as registerPlan } from './commands/plan.js';
import { register as registerRun } from './commands/run.js';
import { register as registerApprovals } from './commands/approve.js';
import { register as registerResume } from './commands/resume.js';
import { register as registerRollback } from './commands/rollback.js';
import { register as registerStatus } from './commands/status.js';
import { register as registerEvidence } from './commands/evidence.js';
import { register as registerBackup } from './commands/backup.js';
import { register as registerMigrations } from './commands/migrations.js';
import { register as registerCheck } from './commands/check.js';
import { register as registerAudit } from './commands/audit.js';
import { register as registerSecrets } from './commands/secrets.js';
import { register as registerGate } from './commands/gate.js';
import { register as registerRelease } from './commands/release.js';

const COMMANDS: readonly RegisterCommand[] = [
  registerValidate,
  registerSchema,
  registerPlan,
  registerRun,
  registerApprovals,
  registerResume,
  registerRollback,
  registerStatus,
  registerEvidence,
  registerBackup,
  registerMigrations,
  registerCheck,
  registerAudit,
  registerSecrets,
  registerGate,
  registerRelease,
];

/** Runs the CLI and resolves to the exit code. The one place where exceptions become exit codes. */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  let code: number = ExitCode.Success;
  const program = new Command('shipgate')
    .description('Executable, provable production release runbooks.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();
  for (const register of COMMANDS) register(program, io, (c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version "fail" with exit code 0 in commander; usage errors are invalid input.
      return e.exitCode === 0 ? ExitCode.Success : ExitCode.InvalidInput;
    }
    if (isUserError(e)) {
      io.stderr.write(`error ${e.code}: ${e.message}\n`);
      if (e.hint) io.stderr.write(`  → ${e.hint}\n`);
      return e.exitCode;
    }
    const err = e as Error;
    io.stderr.write(`shipgate: internal error (a bug): ${err?.stack ?? String(e)}\n`);
    return ExitCode.Failed;
  }
}
