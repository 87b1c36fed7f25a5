import { backupsRoot, findBackup, listBackups } from '../../data/layout.js';
import { dataError } from '../../data/errors.js';
import { verifyBackup } from '../../data/verify-backup.js';
import type { ActionImpl } from '../action.js';
import { asOutcome, dataContextOf } from './action-support.js';

export const verifyAction: ActionImpl<{ backup?: string | undefined; 'keep-scratch': boolean; 'allow-empty-database': boolean }> = {
  run: (input, ctx) =>
    asOutcome(async () => {
      const dctx = dataContextOf(ctx);
      const root = backupsRoot(dctx.baseDir, dctx.config.backups);
      const ref = input.backup ? await findBackup(root, ctx.environment, input.backup) : (await listBackups(root, ctx.environment))[0];
      if (!ref) throw dataError('SG_DATA_BACKUP_NOT_FOUND', `no backup of ${ctx.environment} to verify`, 'add a `uses: backup` step before this one');
      const r = await verifyBackup({ ctx: dctx, backup: ref, evidence: ctx.evidence, keepScratch: input['keep-scratch'], allowEmptyDatabase: input['allow-empty-database'] });
      const failed = r.checks.filter((c) => !c.passed);
      return {
        status: r.passed ? 'passed' : 'failed',
        summary: r.passed ? `backup ${ref.id} verified: ${r.checks.length} checks passed` : `backup ${ref.id} failed verification: ${failed.map((c) => `${c.name} (${c.measured ?? ''})`).join('; ')}`,
        outputs: { id: ref.id, verified: String(r.passed), path: ref.dir, 'manifest-digest': r.manifestDigest },
        checks: r.checks,
      };
    }),
};
