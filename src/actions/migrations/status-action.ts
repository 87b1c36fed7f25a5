import type { ActionContext, ActionImpl, ActionOutcome } from '../action.js';
import { resolveMigrations } from './config.js';
import { withUserErrors } from './user-errors.js';
import { readStatus, resolveDbTarget } from './service.js';
import { statusLine } from './status.js';

interface StatusWith {
  'database-url'?: string | undefined;
  'fail-on-pending': boolean;
}

export const statusAction: ActionImpl<StatusWith> = withUserErrors<StatusWith>({
  async run(input: StatusWith, ctx: ActionContext): Promise<ActionOutcome> {
    const cfg = resolveMigrations(ctx.runbook);
    const s = await readStatus(cfg, resolveDbTarget(ctx.runbook, input['database-url'], ctx.env));
    const failed = s.failed.length > 0 || (input['fail-on-pending'] && s.pending.length > 0);
    return {
      status: failed ? 'failed' : 'passed',
      summary: `${statusLine(s)}${s.failed.length ? `; failed: ${s.failed.join(', ')} (resolve it: prisma migrate resolve)` : ''}`,
      checks: [
        { name: 'no-failed-migrations', passed: s.failed.length === 0, expected: '0 failed', measured: `${s.failed.length} failed${s.failed.length ? `: ${s.failed.join(', ')}` : ''}` },
        ...(input['fail-on-pending'] ? [{ name: 'nothing-pending', passed: s.pending.length === 0, expected: '0 pending', measured: `${s.pending.length} pending` }] : []),
      ],
      outputs: { applied: String(s.applied.length), pending: String(s.pending.length), 'pending-ids': s.pending.join(','), failed: String(s.failed.length) },
      data: { ...s },
    };
  },
});
