import * as z from 'zod';
import { defineAction, type ActionDefinition } from './action.js';

const failOn = z.enum(['breaking', 'unknown', 'additive', 'never']).default('breaking')
  .describe('Which migrations the gate acts on: `breaking` (default; also `unknown`), `unknown`, `additive` (any schema change), `never` (report only).');

/** Actions of the migrations family (docs/migrations.md). */
export const migrationsActions: readonly ActionDefinition[] = [
  defineAction({
    name: 'migrations/lint',
    summary: 'Classify migrations (none/additive/breaking/unknown) and enforce the runbook\'s plan requirements',
    with: z.strictObject({
      'fail-on': failOn,
      paths: z.array(z.string()).optional().describe('Files or folders (relative to the runbook) instead of migrations.dir.'),
      since: z.string().optional().describe('Only migrations added or changed since this git ref.'),
      pending: z.boolean().default(false).describe('Only migrations not yet applied (reads the database). Default: false (all on disk).'),
      'database-url': z.string().optional().describe('Database for `pending: true`. Default: data.database.'),
    }),
    load: async () => (await import('./migrations/lint-action.js')).lintAction,
  }),
  defineAction({
    name: 'migrations/status',
    summary: 'Applied vs pending migrations, from the tool\'s bookkeeping table in the database',
    with: z.strictObject({
      'database-url': z.string().optional().describe('Database to read. Default: data.database.'),
      'fail-on-pending': z.boolean().default(false).describe('Fail when migrations are pending. Default: false.'),
    }),
    load: async () => (await import('./migrations/status-action.js')).statusAction,
  }),
  defineAction({
    name: 'migrations/apply',
    summary: 'Run migrations.apply, then re-read status: passes only on exit 0 AND nothing pending',
    with: z.strictObject({
      'database-url': z.string().optional().describe('Database whose status is re-read. Default: data.database.'),
      command: z.string().optional().describe('Overrides migrations.apply.'),
    }),
    load: async () => (await import('./migrations/apply-action.js')).applyAction,
  }),
];
