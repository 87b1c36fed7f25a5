import { createBackup } from '../../data/create-backup.js';
import type { ActionImpl } from '../action.js';
import { asOutcome, dataContextOf } from './action-support.js';

export const backupAction: ActionImpl<{ reason?: string | undefined }> = {
  run: (input, ctx) =>
    asOutcome(async () => {
      const b = await createBackup({ ctx: dataContextOf(ctx), environment: ctx.environment, evidence: ctx.evidence, reason: input.reason ?? ctx.stepId ?? 'step', runbookDigest: ctx.runbook.digest });
      return {
        status: 'passed',
        summary: `backup ${b.id}: ${b.files} files, ${b.totalSize} bytes, manifest ${b.manifestDigest.slice(0, 12)} (not yet verified)`,
        outputs: { id: b.id, path: b.path, 'manifest-digest': b.manifestDigest, 'created-at': b.createdAt },
        data: { id: b.id, path: b.path, createdAt: b.createdAt, totalSize: b.totalSize, manifestDigest: b.manifestDigest },
      };
    }),
};
