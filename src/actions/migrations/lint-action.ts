import { existsSync } from 'node:fs';
import type { ActionContext, ActionImpl, ActionOutcome } from '../action.js';
import { formatReport } from '../../analysis/format/format-report.js';
import { resolveMigrations } from './config.js';
import { withUserErrors } from './user-errors.js';
import { evaluateGate, type FailOn } from './gate.js';
import { lintConfigured, readStatus, resolveDbTarget } from './service.js';

interface LintWith {
  'fail-on': FailOn;
  paths?: string[] | undefined;
  since?: string | undefined;
  pending: boolean;
  'database-url'?: string | undefined;
}

export const lintAction: ActionImpl<LintWith> = withUserErrors<LintWith>({
  async run(input: LintWith, ctx: ActionContext): Promise<ActionOutcome> {
    const cfg = resolveMigrations(ctx.runbook);
    let ids: Set<string> | undefined;
    if (input.pending) {
      const status = await readStatus(cfg, resolveDbTarget(ctx.runbook, input['database-url'], ctx.env));
      ids = new Set(status.pending);
      ctx.log(`pending: ${status.pending.join(', ') || '(none)'}`);
    }
    const report = await lintConfigured(cfg, { ...(input.paths ? { paths: input.paths, pathsOrigin: `with: paths of step ${ctx.stepId}` } : {}), ...(input.since ? { since: input.since } : {}), ...(ids ? { ids } : {}), signal: ctx.signal });
    for (const line of formatReport(report, 'text', '').trimEnd().split('\n')) ctx.log(line);
    const verdict = evaluateGate(report, cfg, input['fail-on'], existsSync);
    const artifact = await ctx.artifacts.put('migrations-lint.json', formatReport(report, 'json', ''), 'application/json');
    return {
      status: verdict.status,
      summary: verdict.summary,
      checks: verdict.checks,
      artifacts: [artifact],
      outputs: { class: report.class, breaking: String(report.counts.breaking), unknown: String(report.counts.unknown), additive: String(report.counts.additive) },
      data: { class: report.class, counts: report.counts, migrations: report.migrations.map((m) => ({ id: m.id, class: m.class, rules: [...new Set(m.findings.map((f) => f.rule))] })) },
      ...(verdict.decideRole ? { decideRole: verdict.decideRole } : {}),
    };
  },
});
