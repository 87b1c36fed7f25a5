import { Command, CommanderError } from 'commander';
import { ExitCode } from '../core/exit-codes.js';
import { isUserError } from '../core/errors.js';
import type { RegisterCommand } from './command.js';
import { processIO, type CliIO } from './io.js';
import { VERSION } from './version.js';

/**
 * The top-level commands and the module that registers each. Only the module of the command
 * being run is imported (all of them for `--help` or an unknown word), so start-up pays for one
 * command's flags, not sixteen.
 */
const COMMAND_MODULES: ReadonlyArray<readonly [names: readonly string[], load: () => Promise<{ register: RegisterCommand }>]> = [
  [['validate'], () => import('./commands/validate.js')],
  [['schema'], () => import('./commands/schema.js')],
  [['plan'], () => import('./commands/plan.js')],
  [['run', 'resume'], () => import('./commands/run.js')],
  [['approve', 'reject', 'cancel'], () => import('./commands/approve.js')],
  [['rollback'], () => import('./commands/rollback.js')],
  [['status', 'runs'], () => import('./commands/status.js')],
  [['evidence'], () => import('./commands/evidence.js')],
  [['backup', 'rehearse'], () => import('./commands/backup.js')],
  [['migrations'], () => import('./commands/migrations.js')],
  [['check'], () => import('./commands/check.js')],
  [['audit'], () => import('./commands/audit.js')],
  [['secrets'], () => import('./commands/secrets.js')],
  [['gate'], () => import('./commands/gate.js')],
  [['tag', 'notes'], () => import('./commands/release.js')],
];

async function commandsFor(argv: readonly string[]): Promise<RegisterCommand[]> {
  const own = COMMAND_MODULES.find(([names]) => names.includes(argv[0] ?? ''));
  const loaders = own ? [own[1]] : COMMAND_MODULES.map(([, load]) => load);
  return (await Promise.all(loaders.map((load) => load()))).map((m) => m.register);
}

/** Runs the CLI and resolves to the exit code. The one place where exceptions become exit codes. */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  let code: number = ExitCode.Success;
  const program = new Command('shipgate')
    .description('Executable, provable production release runbooks.')
    .version(VERSION, '-V, --version')
    // Program options only before the command: by default the program's `--version` is matched
    // anywhere, so `shipgate notes --version v2.0.0` printed shipgate's own version and exited 0.
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();
  for (const register of await commandsFor(argv)) register(program, io, (c) => (code = c));
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
