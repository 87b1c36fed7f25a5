import { isBackupVerified } from '../../data/evidence.js';
import { backupsRoot, listBackups, manifestDigestOrNull } from '../../data/layout.js';
import { checkRestorable, restoreBackup } from '../../data/restore-backup.js';
import { dataError } from '../../data/errors.js';
import type { ActionImpl, ActionOutcome } from '../action.js';
import { asOutcome, dataContextOf } from './action-support.js';

export const restoreAction: ActionImpl<{ backup: string; 'check-only': boolean }> = {
  run: (input, ctx) =>
    asOutcome(async (): Promise<ActionOutcome> => {
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
      const opts = { ctx: dctx, environment: ctx.environment, backupId: id, evidence: ctx.evidence, runbookDigest: ctx.runbook.digest };
      if (input['check-only']) {
        // Before a rollback stops anything: would this restore be refused? Nothing live is read
        // or written; the id it resolved is the output, for the real restore to use.
        const c = await checkRestorable(opts);
        return {
          status: 'passed',
          summary: `backup ${c.ref.id} can be restored: verified, its paths are safe for data: as configured now, its checksums match; nothing was restored`,
          outputs: { id: c.ref.id },
          data: { backupId: c.ref.id, checkOnly: true },
        };
      }
      const r = await restoreBackup(opts);
      return {
        status: 'passed',
        summary: `restored backup ${r.backupId}${r.database ? ` (database: ${r.database})` : ''}${r.folders.length ? ` (storage: ${r.folders.join(', ')})` : ''}; safety backup ${r.safetyBackup.id}`,
        outputs: { id: r.backupId, 'safety-backup': r.safetyBackup.id },
        data: { backupId: r.backupId, safetyBackupId: r.safetyBackup.id },
      };
    }),
};
