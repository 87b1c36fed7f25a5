import * as z from 'zod';
import { defineAction, type ActionDefinition } from './action.js';

/**
 * Actions of the data family (docs/data.md). Each is a thin adapter over src/data/, loaded only
 * when a step runs. They read the runbook's `data:` block; `with:` only names what differs per step.
 */
export const dataActions: readonly ActionDefinition[] = [
  defineAction({
    name: 'backup',
    summary: 'Back up the database and storage folders of `data:` and record it in the ledger (outputs: id, path, manifest-digest).',
    with: z.strictObject({
      reason: z.string().optional().describe('Recorded in metadata.json and the ledger. Default: the step id.'),
    }),
    load: async () => (await import('./data/backup-action.js')).backupAction,
  }),
  defineAction({
    name: 'backup/verify',
    summary: 'Prove a backup: re-hash every file, restore into scratch, integrity check / row counts; the ledger records the verdict.',
    with: z.strictObject({
      backup: z.string().optional().describe('Backup id, e.g. `${{ steps.backup.outputs.id }}`. Default: the newest backup of the environment.'),
      'keep-scratch': z.boolean().default(false).describe('Leave the scratch restore in place. Default: false.'),
      'allow-empty-database': z.boolean().default(false).describe('Pass a database with no tables (nothing to verify). Default: false.'),
    }),
    load: async () => (await import('./data/verify-action.js')).verifyAction,
  }),
  defineAction({
    name: 'restore',
    summary: 'Restore a verified backup over the live data (safety backup first, protected paths never written).',
    with: z.strictObject({
      backup: z.string().describe('Backup id, e.g. `${{ steps.backup.outputs.id }}`, or `latest-verified`.'),
      'check-only': z
        .boolean()
        .default(false)
        .describe('Only check that the backup would be restored (found, verified, safe paths, checksums match, the database tools present; for Postgres and MySQL also one read-only connection: pg_dump not older than the server, pg_restore not older than the pg_dump that made the backup, no MySQL triggers), changing nothing; output `id` is the backup it resolved. Put it before a rollback stops the app. Default: false.'),
    }),
    load: async () => (await import('./data/restore-action.js')).restoreAction,
  }),
  defineAction({
    name: 'rehearse',
    summary: 'Restore the newest verified backup to scratch, run migrations.apply and smoke steps against it, record schema before/after.',
    with: z.strictObject({
      smoke: z.array(z.string()).default([]).describe('Ids of `run:` steps to run against the restored copy. Default: none.'),
      'keep-scratch': z.boolean().default(false).describe('Leave the scratch copy in place. Default: false.'),
      'allow-unchanged-schema': z
        .boolean()
        .default(false)
        .describe('Pass when the migration leaves the scratch schema unchanged (nothing pending, or data-only). Default: false: an unchanged schema usually means the command migrated another database.'),
    }),
    load: async () => (await import('./data/rehearse-action.js')).rehearseAction,
  }),
];
