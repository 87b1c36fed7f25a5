import type { RunId } from '../core/brand.js';
import type { Plan, PlannedStep } from '../plan/plan.js';
import type { StateStore } from '../store/state-store.js';
import type { ApprovalPolicy } from './approvals.js';

/**
 * The approval policy of a step that waits: a manual step's own settings, or, for an action
 * whose result was inconclusive, one approval by the role the action named (default: the first
 * role that has members).
 */
export function waitingPolicy(plan: Plan, step: PlannedStep, decideRole?: string): ApprovalPolicy {
  if (step.manual) {
    return {
      role: step.manual.role,
      members: plan.roles[step.manual.role] ?? [],
      approvals: step.manual.approvals,
      selfApproval: step.manual['self-approval'],
      checklist: step.manual.checklist ?? [],
    };
  }
  const role = decideRole ?? Object.entries(plan.roles).find(([, m]) => m.length > 0)?.[0] ?? 'operator';
  return { role, members: plan.roles[role] ?? [], approvals: 1, selfApproval: true, checklist: [] };
}

/**
 * The policy of a step that waits in a stored run: a manual step's from the plan; for an
 * inconclusive action, the role it asked for, as recorded with its `step-waiting` entry.
 */
export async function policyForStep(store: StateStore, plan: Plan, runId: RunId, step: PlannedStep): Promise<ApprovalPolicy> {
  if (step.kind === 'manual') return waitingPolicy(plan, step);
  const entries = await store.readLedger({ run: runId, kind: 'step-waiting' });
  const last = entries.filter((e) => e.step === step.id).at(-1);
  return waitingPolicy(plan, step, (last?.data as { role?: string } | undefined)?.role);
}
