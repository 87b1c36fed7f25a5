import path from 'node:path';
import type { CheckRecord } from '../action.js';
import { unreachable } from '../../core/unreachable.js';
import { CLASS_RANK, type LintReport, type MigrationClass } from '../../analysis/types.js';
import type { ResolvedMigrations } from './config.js';

/** Which classes the gate acts on. `breaking` also catches `unknown` (treated as breaking). */
export type FailOn = 'breaking' | 'unknown' | 'additive' | 'never';

export interface GateVerdict {
  readonly status: 'passed' | 'failed' | 'inconclusive';
  readonly summary: string;
  readonly checks: CheckRecord[];
  readonly decideRole?: string;
}

/** True when a migration of class `c` is gated under `failOn`. */
export function isGated(c: MigrationClass, failOn: FailOn): boolean {
  switch (failOn) {
    case 'never':
      return false;
    case 'unknown':
      return c === 'unknown';
    case 'breaking':
      return CLASS_RANK[c] >= CLASS_RANK.unknown;
    case 'additive':
      return CLASS_RANK[c] >= CLASS_RANK.additive;
    default:
      return unreachable(failOn);
  }
}

/**
 * Judge a lint report against the runbook's requirements. Pure: file existence is asked of
 * `exists`. Every requirement is a check with expected vs measured; a missing file is named
 * with the exact path to write.
 */
export function evaluateGate(report: LintReport, cfg: ResolvedMigrations, failOn: FailOn, exists: (abs: string) => boolean): GateVerdict {
  const checks: CheckRecord[] = [];
  const show = (abs: string): string => path.relative(cfg.base, abs) || abs;
  const gated = report.migrations.filter((m) => isGated(m.class, failOn));
  const changes = report.migrations.filter((m) => m.class !== 'none');
  let needsApproval = false;
  if (gated.length > 0) {
    const ids = gated.map((m) => `${m.id} (${m.class})`).join(', ');
    if (!cfg.require.breakingPlan) {
      checks.push({ name: 'no-breaking-migrations', passed: false, expected: `no migration at or above fail-on=${failOn}`, measured: ids });
    } else if (cfg.rollout === 'staged' && cfg.plan) {
      const ok = exists(cfg.plan);
      checks.push({ name: 'breaking-plan', passed: ok, expected: `staged rollout plan ${show(cfg.plan)} exists`, measured: ok ? `found; covers ${ids}` : `missing: write ${show(cfg.plan)}` });
    } else if (cfg.rollout === 'staged') {
      checks.push({ name: 'breaking-plan', passed: false, expected: 'migrations.plan names the staged rollout plan', measured: `rollout: staged without plan:; set migrations.plan (e.g. docs/rollout-plan.md) and write it; breaking: ${ids}` });
    } else if (cfg.require.approvalRole) {
      needsApproval = true;
      checks.push({ name: 'breaking-plan', passed: false, expected: `rollout: staged with a plan, or approval by role ${cfg.require.approvalRole}`, measured: `no staged plan; approval by ${cfg.require.approvalRole} requested for ${ids}` });
    } else {
      checks.push({ name: 'breaking-plan', passed: false, expected: 'rollout: staged with a plan file, or require.approval-role', measured: `rollout: direct; breaking: ${ids} — set migrations.rollout: staged and migrations.plan: docs/rollout-plan.md (then write that file), or set migrations.require.approval-role` });
    }
  }
  if (changes.length > 0) {
    for (const [name, file] of [['migration-plan', cfg.require.migrationPlan], ['rollback-plan', cfg.require.rollbackPlan]] as const) {
      if (!file) continue;
      const ok = exists(file);
      checks.push({ name, passed: ok, expected: `${show(file)} exists (schema changes pending: ${changes.length})`, measured: ok ? 'found' : `missing: write ${show(file)}` });
    }
  }
  const failed = checks.filter((c) => !c.passed && !(needsApproval && c.name === 'breaking-plan'));
  const counts = `${report.migrations.length} migrations: ${report.counts.breaking} breaking, ${report.counts.unknown} unknown, ${report.counts.additive} additive, ${report.counts.none} none`;
  if (failed.length > 0) return { status: 'failed', summary: `${counts}; ${failed.map((c) => c.measured).join('; ')}`, checks };
  if (needsApproval) {
    return { status: 'inconclusive', summary: `${counts}; breaking migrations need approval by ${cfg.require.approvalRole} (with a reason) or a staged plan`, checks, decideRole: cfg.require.approvalRole! };
  }
  return { status: 'passed', summary: `${counts}; ${gated.length > 0 ? 'breaking migrations covered by the staged plan' : `nothing at or above fail-on=${failOn}`}`, checks };
}
