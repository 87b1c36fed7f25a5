import type { Plan, PlannedStep } from '../plan/plan.js';
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
