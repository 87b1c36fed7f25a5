import { isBackupVerified } from '../../data/evidence.js';
import { backupsRoot, listBackups, manifestDigestOrNull } from '../../data/layout.js';
import { restoreBackup } from '../../data/restore-backup.js';
import { dataError } from '../../data/errors.js';
import type { ActionImpl } from '../action.js';
import { asOutcome, dataContextOf } from './action-support.js';

export const restoreAction: ActionImpl<{ backup: string }> = {
  run: (input, ctx) =>
    asOutcome(async () => {
      const dctx = dataContextOf(ctx);
      let id = input.backup;
      if (id === 'latest-verified') {
        const all = await listBackups(backupsRoot(dctx.baseDir, dctx.config.backups), ctx.environment);
        let found: string | undefined;
        for (const b of all) {
          const digest = await manifestDigestOrNull(b.dir);
          if (digest !== null && (await isBackupVerified(ctx.evidence, b.id, digest))) { found = b.id; break; }
        }
        if (!found) throw dataError('SG_DATA_NO_VERIFIED_BACKUP', `no verified backup of ${ctx.environment} to restore`, `shipgate backup list --env ${ctx.environment}`);
        id = found;
      }
      const r = await restoreBackup({ ctx: dctx, environment: ctx.environment, backupId: id, evidence: ctx.evidence, runbookDigest: ctx.runbook.digest });
      return {
        status: 'passed',
        summary: `restored backup ${r.backupId}${r.database ? ` (database: ${r.database})` : ''}${r.folders.length ? ` (storage: ${r.folders.join(', ')})` : ''}; safety backup ${r.safetyBackup.id}`,
        outputs: { id: r.backupId, 'safety-backup': r.safetyBackup.id },
        data: { backupId: r.backupId, safetyBackupId: r.safetyBackup.id },
      };
    }),
};
