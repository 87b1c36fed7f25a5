import type { RegisterCommand } from '../command.js';

const STATE_HELP = 'state directory (default: $SHIPGATE_STATE_DIR, else .shipgate/ beside the runbook); $SHIPGATE_DATABASE_URL selects Postgres';

/** `shipgate secrets check | gen | rotated`. Implementations load lazily. */
export const register: RegisterCommand = (program, io, done) => {
  const secrets = program.command('secrets').description("Check an environment's secrets (presence, strength, rotation, exposure), generate values, record rotations.");
  secrets
    .command('check')
    .description('Check the secrets declared under environments.NAME.secrets: present, min-length, min-entropy, not forbidden, rotated in time, never in the working tree or git history. Values are never printed.')
    .argument('[file]', 'runbook file', 'shipgate.yml')
    .requiredOption('-e, --env <name>', 'target environment')
    .option('--env-file <path>', "dotenv file to read values from (default: the environment's `dotenv:`, else .env beside the runbook)")
    .option('--no-tree', 'do not search the working tree')
    .option('--no-history', 'do not search the git history')
    .option('--no-shapes', 'do not look for token shapes (AWS/GitHub/Slack keys, JWTs, private keys)')
    .option('--allow-file <glob>', 'allow token-shape hits in files matching this glob (repeatable; value hits are never allowed)', (v: string, p: string[] = []) => [...p, v], [])
    .option('--accept-unmeasured', 'exit 0 even when some checks could not be measured (e.g. the provider lists names only)')
    .option('--state <dir>', STATE_HELP)
    .option('--json', 'print the findings as JSON')
    .addHelpText('after', '\nExit codes: 0 all checks passed · 1 a check failed, or could not be measured (without --accept-unmeasured) · 2 invalid input')
    .action(async (file: string, opts) => {
      const { secretsCheckCommand } = await import('../audit-commands/secrets-command.js');
      done(await secretsCheckCommand(io, file, opts));
    });
  secrets
    .command('gen')
    .description('Print a new random secret (OS CSPRNG). Store it in your provider; it is not recorded anywhere.')
    .option('--bytes <n>', 'random bytes (16-1024)', (v) => (/^\d+$/.test(v) ? Number(v) : Number.NaN), 32)
    .option('--base64', 'base64 encoding (default)')
    .option('--base64url', 'base64url encoding (URL and shell safe)')
    .option('--hex', 'hex encoding')
    .action(async (opts) => {
      const { secretsGenCommand } = await import('../audit-commands/secrets-command.js');
      done(await secretsGenCommand(io, opts));
    });
  secrets
    .command('rotated')
    .description('Record in the ledger that a secret was rotated now (name and time only, never the value)')
    .argument('<name>', 'the secret, as declared in the runbook')
    .option('-f, --file <runbook>', 'runbook file (the name must be declared in one of its environments)', 'shipgate.yml')
    .option('--note <text>', 'why (e.g. "quarterly", "suspected leak")')
    .option('--state <dir>', STATE_HELP)
    .action(async (name: string, opts) => {
      const { secretsRotatedCommand } = await import('../audit-commands/secrets-command.js');
      done(await secretsRotatedCommand(io, name, opts));
    });
};
