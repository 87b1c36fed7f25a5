import { rehearse } from '../../data/rehearse.js';
import type { ActionImpl } from '../action.js';
import { asOutcome, dataContextOf } from './action-support.js';

export const rehearseAction: ActionImpl<{ smoke: string[]; 'keep-scratch': boolean; 'allow-unchanged-schema': boolean }> = {
  run: (input, ctx) =>
    asOutcome(async () => {
      const r = await rehearse({ ctx: dataContextOf(ctx), runbook: ctx.runbook.runbook, environment: ctx.environment, evidence: ctx.evidence, smoke: input.smoke, keepScratch: input['keep-scratch'], allowUnchangedSchema: input['allow-unchanged-schema'] });
      const failed = r.checks.filter((c) => !c.passed);
      const schema = r.schemaBefore?.digest === r.schemaAfter?.digest ? 'schema unchanged' : `schema changed (${r.schemaBefore?.tables.length ?? 0} → ${r.schemaAfter?.tables.length ?? 0} tables)`;
      return {
        status: r.passed ? 'passed' : 'failed',
        summary: r.passed ? `rehearsal on backup ${r.backupId} passed: migration ${r.migrationMs ?? '?'} ms, ${schema}, ${input.smoke.length} smoke step(s)` : `rehearsal on backup ${r.backupId} failed: ${failed.map((c) => `${c.name} (${c.measured ?? ''})`).join('; ')}`,
        outputs: { backup: r.backupId, 'migration-ms': String(r.migrationMs ?? ''), 'schema-before': r.schemaBefore?.digest ?? '', 'schema-after': r.schemaAfter?.digest ?? '' },
        checks: r.checks,
        data: { backupId: r.backupId, migrationMs: r.migrationMs, schemaBefore: r.schemaBefore, schemaAfter: r.schemaAfter },
      };
    }),
};
