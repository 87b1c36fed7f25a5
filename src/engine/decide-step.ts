import type { Actor } from '../core/actor.js';
import type { RunId } from '../core/brand.js';
import { UserError } from '../core/errors.js';
import type { Plan } from '../plan/plan.js';
import type { ApprovalRecord } from '../store/records.js';
import type { StateStore } from '../store/state-store.js';
import { approvalState, decideApproval, type ChecklistAnswer } from './approvals.js';
import { policyForStep } from './waiting-policy.js';

export interface DecisionInput {
  readonly store: StateStore;
  readonly runId: RunId;
  readonly stepId: string;
  readonly actor: Actor;
  readonly decision: 'approved' | 'rejected';
  readonly note: string | null;
  readonly items: readonly ChecklistAnswer[];
  readonly clock: () => Date;
}

export interface DecisionResult {
  readonly approval: ApprovalRecord;
  /** Approvals still needed (0 = quorum reached, or rejected). */
  readonly remaining: number;
  readonly runId: RunId;
}

/**
 * Records an approval or rejection of a waiting step (`shipgate approve` / `reject`): checks
 * the role, quorum, self-approval and checklist, writes the approval row, and appends it to
 * the ledger with the actor and how the actor was known. The run continues on `resume`.
 */
export async function decideStep(input: DecisionInput): Promise<DecisionResult> {
  const run = await input.store.getRun(input.runId);
  if (!run) throw new UserError('SG_RUN_NOT_FOUND', `no run ${input.runId} in this state store`, 'list runs with: shipgate runs');
  const plan = JSON.parse(run.planJson) as Plan;
  const planned = [...plan.steps, ...plan.rollback].find((s) => s.id === input.stepId);
  if (!planned) throw new UserError('SG_UNKNOWN_STEP', `run ${run.id} has no step ${input.stepId}`, `shipgate status ${run.id}`);
  const step = (await input.store.getSteps(run.id)).find((s) => s.stepId === input.stepId);
  const existing = await input.store.listApprovals(run.id, planned.id);
  const policy = await policyForStep(input.store, plan, run.id, planned);
  const approval = decideApproval({
    run, step, stepId: input.stepId, policy, existing, actor: input.actor, decision: input.decision, note: input.note,
    items: input.items, at: input.clock().toISOString(),
  });
  await input.store.addApproval(approval);
  const state = approvalState(policy, [...existing, approval]);
  const remaining = state.state === 'pending' ? state.need - state.have : 0;
  await input.store.appendLedger({
    at: approval.at, run: run.id, step: planned.id, kind: 'approval-recorded', actor: input.actor,
    data: { approval, remaining, role: policy.role },
  });
  return { approval, remaining, runId: run.id };
}
