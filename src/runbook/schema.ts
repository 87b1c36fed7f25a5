import * as z from 'zod';

/**
 * The runbook format (DESIGN.md §3), as a zod schema. It is the single source of truth: the
 * TypeScript types, the validator and the published JSON Schema (`shipgate schema`) all come
 * from here. Field docs (`.describe`) end up in the JSON Schema and in docs/reference.md.
 *
 * Objects are strict: an unknown key is an error (with a "did you mean" from the validator).
 */

const id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'ids use letters, digits, "-" and "_", and start with a letter or digit');

/** A duration: `30s`, `15m`, `1h30m`, `90d`, or a number of seconds. */
export const DurationSchema = z
  .union([z.string().regex(/^(\d+(\.\d+)?(ms|s|m|h|d|w))+$|^\d+(\.\d+)?$/, 'a duration like 30s, 15m, 1h30m or 90d'), z.number().nonnegative()])
  .describe('A duration: 30s, 15m, 1h30m, 90d, or a number of seconds.');

const stringOrList = z.union([z.string(), z.array(z.string())]);

export const ExpectSchema = z
  .strictObject({
    'exit-codes': z.array(z.number().int()).optional().describe('Exit codes that count as success. Default: [0].'),
    stdout: stringOrList.optional().describe('Regexes that must all match stdout.'),
    'stdout-not': stringOrList.optional().describe('Regexes none of which may match stdout.'),
    stderr: stringOrList.optional().describe('Regexes that must all match stderr.'),
    'stderr-not': stringOrList.optional().describe('Regexes none of which may match stderr.'),
  })
  .describe('Judges a command by more than its exit code: scripts that print a failure and exit 0 fail.');

export const ManualSchema = z
  .strictObject({
    role: z.string().describe('The role whose members may approve. Must exist under `roles` and have members.'),
    checklist: z.array(z.string()).optional().describe('Items the approver answers pass/fail, each with an optional note.'),
    approvals: z.number().int().min(1).default(1).describe('Distinct approvers needed. Default: 1.'),
    'self-approval': z.boolean().default(true).describe('May the actor who started the run approve? Default: true.'),
    instructions: z.string().optional().describe('What the approver should do, shown when the run waits.'),
  })
  .describe('Pauses the run (state `waiting`, exit 3) until people with the role approve or reject it.');

export const RetriesSchema = z.union([
  z.number().int().min(0),
  z.strictObject({
    count: z.number().int().min(0).describe('How many times to retry after the first attempt.'),
    delay: DurationSchema.optional().describe('Delay before the first retry; doubles each time. Default: 1s.'),
    'max-delay': DurationSchema.optional().describe('Upper bound for the backoff delay. Default: 30s.'),
  }),
]);

export const StepSchema = z
  .strictObject({
    id: id.describe('Unique step id; other steps refer to it in `needs` and `${{ steps.ID.outputs.KEY }}`.'),
    name: z.string().optional().describe('Human-readable name. Default: the id.'),
    run: z.string().optional().describe('A shell command. `${{ }}` values are shell-quoted; use `${{ raw(x) }}` for the raw form.'),
    shell: z.string().optional().describe('`bash` (default on POSIX, run as `bash -e`), `sh`, `pwsh`, `powershell`, or a command with `{0}` for the script file.'),
    cwd: z.string().optional().describe("Working directory, relative to the runbook's directory."),
    env: z.record(z.string(), z.string()).optional().describe('Extra environment variables (expressions allowed).'),
    uses: z.string().optional().describe('A built-in action, e.g. `check/http`, `backup`, `migrations/lint`.'),
    with: z.record(z.string(), z.unknown()).optional().describe("The action's inputs; each action documents its own."),
    needs: z.array(z.string()).optional().describe('Steps that must finish first. Default: the previous step in the phase.'),
    if: z.string().optional().describe('Run only when this expression is true, e.g. `${{ vars.DEPLOY == "fly" }}`.'),
    timeout: DurationSchema.optional().describe('Kill the whole process tree after this long. Default: 30m.'),
    retries: RetriesSchema.optional().describe('Retries with exponential backoff. Default: 0.'),
    'continue-on-error': z.boolean().optional().describe('A failure is recorded but does not stop the run. Default: false.'),
    idempotent: z.boolean().optional().describe('Safe to re-run if the process died while it ran. Default: false.'),
    expect: ExpectSchema.optional(),
    manual: ManualSchema.optional(),
  })
  .describe('One step: exactly one of `run`, `uses` or `manual`.');

export const SecretSpecSchema = z.union([
  z.string(),
  z.strictObject({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name').describe('The environment variable that holds the secret.'),
    required: z.boolean().default(true).describe('Missing is an error. Default: true.'),
    'min-length': z.number().int().min(1).optional().describe('Minimum length in characters.'),
    'min-entropy': z.number().min(0).optional().describe('Minimum Shannon entropy, bits per character.'),
    forbid: z.array(z.string()).optional().describe('Values that are never acceptable (known defaults, examples).'),
    'rotate-every': DurationSchema.optional().describe('Maximum age since `shipgate secrets rotated NAME`, e.g. 90d.'),
    source: z
      .union([z.literal('env'), z.literal('dotenv'), z.strictObject({ command: z.string().describe('A command whose output lists the secret names the target has.') })])
      .optional()
      .describe('Where the target keeps it: the process env, the dotenv file, or a command that lists names. Default: env, then dotenv.'),
    description: z.string().optional().describe('What the secret is for.'),
  }),
]).describe('A secret name, or a spec with checks (`shipgate secrets check`).');

export const EnvironmentSchema = z.strictObject({
  vars: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}).describe('Plain values, available as `${{ vars.NAME }}` and as environment variables.'),
  secrets: z.array(SecretSpecSchema).default([]).describe('Secret names; values come from the process env or the dotenv file and are redacted everywhere.'),
  dotenv: z.string().optional().describe("A dotenv file (relative to the runbook) to read secrets and vars from. Default: `.env` if present."),
  description: z.string().optional().describe('What this environment is.'),
});

export const DatabaseSchema = z
  .strictObject({
    kind: z.enum(['sqlite', 'postgres', 'mysql']).describe('The database engine.'),
    path: z.string().optional().describe('SQLite file, relative to the runbook.'),
    url: z.string().optional().describe('Connection URL for postgres/mysql; expressions allowed, e.g. `${{ env.DATABASE_URL }}`.'),
  })
  .describe('The database to back up and restore: sqlite needs `path`, postgres/mysql need `url`.');

export const DataSchema = z
  .strictObject({
    database: DatabaseSchema.optional(),
    storage: z.array(z.string()).default([]).describe('Folders whose files are part of the backup.'),
    exclude: z.array(z.string()).default([]).describe('Globs (relative to the runbook) left out of storage backups.'),
    protect: z.array(z.string()).default([]).describe('Paths a restore must never write inside (e.g. `backend/models`, `logs`).'),
    backups: z.string().default('.shipgate/backups').describe('Where backups are kept. Default: .shipgate/backups.'),
    scratch: z.string().default('scratch').describe('Where verification and rehearsal restore to. Default: scratch.'),
    keep: z.number().int().min(1).optional().describe('How many backups `prune` keeps per environment.'),
  })
  .describe('What is backed up, verified and restored.');

export const MigrationsSchema = z
  .strictObject({
    tool: z.enum(['sql', 'prisma', 'alembic']).describe('How the migrations are written: raw SQL files, Prisma or Alembic.'),
    dir: z.string().describe('Migrations folder, relative to the runbook.'),
    dialect: z.enum(['postgres', 'sqlite', 'mysql']).optional().describe('SQL dialect. Default: from data.database.kind, else postgres.'),
    apply: z.string().optional().describe('Command that applies pending migrations (e.g. `npx prisma migrate deploy`).'),
    status: z.string().optional().describe('Command that reports migration status.'),
    cwd: z.string().optional().describe('Working directory for apply/status, relative to the runbook.'),
    require: z
      .strictObject({
        'breaking-plan': z.boolean().default(true).describe('A breaking migration needs `rollout: staged` + plan, or an approval.'),
        'migration-plan': z.string().optional().describe('File that must exist when any schema change is pending.'),
        'rollback-plan': z.string().optional().describe('File that must exist when any schema change is pending.'),
        'approval-role': z.string().optional().describe('Role that may approve a breaking migration instead of a staged plan.'),
      })
      .optional()
      .describe('What a release with pending migrations must bring along.'),
    rollout: z.enum(['direct', 'staged']).optional().describe('`staged` declares an expand/contract rollout.'),
    plan: z.string().optional().describe('The staged rollout plan document.'),
  })
  .describe('Where migrations live and how they are applied.');

export const PhaseSchema = z.strictObject({
  id: id.describe('Phase id.'),
  name: z.string().optional().describe('Human-readable name. Default: the id.'),
  steps: z.array(StepSchema).min(1).describe('Steps; each needs the one before it unless it declares `needs`.'),
  'rollback-on-failure': z.boolean().default(false).describe('If a step in this phase fails, run the `rollback` steps. Default: false.'),
});

export const RoleSchema = z.strictObject({
  members: z.array(z.string()).default([]).describe('Identities (e-mail addresses as in SHIPGATE_ACTOR or git user.email).'),
  description: z.string().optional().describe('What the role is responsible for.'),
});

export const RunbookSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of the JSON Schema, for editors (`shipgate schema`).'),
    version: z.literal(1).describe('Format version. Always 1.'),
    name: z.string().min(1).describe('What this runbook releases.'),
    description: z.string().optional().describe('What this runbook is for.'),
    roles: z.record(z.string(), RoleSchema).default({}).describe('Who may approve manual steps, by role name.'),
    environments: z.record(z.string(), EnvironmentSchema).describe('Targets (`--env NAME`).'),
    defaults: z
      .strictObject({
        shell: z.string().optional().describe('Shell for every run: step that does not set one. Default: bash.'),
        timeout: DurationSchema.optional().describe('Timeout for every step that does not set one. Default: 30m.'),
        cwd: z.string().optional().describe("Working directory for every step that does not set one, relative to the runbook's directory."),
      })
      .optional()
      .describe('Defaults for every step.'),
    concurrency: z.number().int().min(1).optional().describe('Steps run at once. Default: the number of CPUs.'),
    data: DataSchema.optional(),
    migrations: MigrationsSchema.optional(),
    phases: z.array(PhaseSchema).min(1).describe('The release, in order: each phase starts when the one before has finished.'),
    rollback: z.strictObject({ steps: z.array(StepSchema).min(1).describe('Rollback steps; like a phase, each needs the one before it unless it declares `needs`.') }).optional().describe('Steps run when a `rollback-on-failure` phase fails, or by `shipgate rollback`.'),
  })
  .describe('A shipgate release runbook.');

/** The runbook after parsing and defaults (what the planner consumes). */
export type Runbook = z.output<typeof RunbookSchema>;
export type RunbookStep = z.output<typeof StepSchema>;
export type RunbookPhase = z.output<typeof PhaseSchema>;
export type Expect = z.output<typeof ExpectSchema>;
export type Manual = z.output<typeof ManualSchema>;
export type SecretSpec = z.output<typeof SecretSpecSchema>;
export type DataConfig = z.output<typeof DataSchema>;
export type MigrationsConfig = z.output<typeof MigrationsSchema>;
