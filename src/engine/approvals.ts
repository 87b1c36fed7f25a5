import { distinctActors, sameActor, type Actor } from '../core/actor.js';
import { UserError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import type { ApprovalRecord, RunRecord, StepRecord } from '../store/records.js';

/** The approval policy of a waiting step, frozen in the plan (or set by an inconclusive action). */
export interface ApprovalPolicy {
  readonly role: string;
  readonly members: readonly string[];
  readonly approvals: number;
  readonly selfApproval: boolean;
  readonly checklist: readonly string[];
}

export type ChecklistAnswer = ApprovalRecord['items'][number];

/** Where a waiting step stands, from the approvals recorded so far. */
export type ApprovalState =
  | { readonly state: 'approved'; readonly by: readonly string[] }
  | { readonly state: 'rejected'; readonly by: string; readonly note: string | null }
  | { readonly state: 'pending'; readonly have: number; readonly need: number };

export function approvalState(policy: ApprovalPolicy, approvals: readonly ApprovalRecord[]): ApprovalState {
  const rejection = approvals.find((a) => a.decision === 'rejected');
  if (rejection) return { state: 'rejected', by: rejection.actor.id, note: rejection.note };
  const by = distinctActors(approvals.filter((a) => a.decision === 'approved').map((a) => a.actor.id));
  return by.length >= policy.approvals ? { state: 'approved', by } : { state: 'pending', have: by.length, need: policy.approvals };
}

/** The role's members who may approve a run started by `starter`: each once, and not the starter without self-approval. */
export function eligibleApprovers(policy: ApprovalPolicy, starter: string): string[] {
  return distinctActors(policy.members).filter((m) => policy.selfApproval || !sameActor(m, starter));
}

/**
 * Checks that `actor` may record `decision` on a waiting step, and builds the record. Every
 * refusal is a UserError naming the rule and what to do instead; nothing is written here.
 */
export function decideApproval(input: {
  run: RunRecord;
  step: StepRecord | undefined;
  stepId: string;
  policy: ApprovalPolicy;
  existing: readonly ApprovalRecord[];
  actor: Actor;
  decision: 'approved' | 'rejected';
  note: string | null;
  items: readonly ChecklistAnswer[];
  at: string;
}): ApprovalRecord {
  const { run, step, policy, actor } = input;
  const refuse = (code: string, message: string, hint: string) => new UserError(code, message, hint, ExitCode.InvalidInput);
  if (!['running', 'waiting', 'interrupted'].includes(run.status)) {
    // A cancelled run keeps its steps' last rows (a step may still say `waiting`): its end is
    // in the ledger, and a decision after it would be evidence of nothing.
    throw refuse('SG_RUN_FINISHED', `run ${run.id} already finished (${run.status}); its steps can no longer be decided`, `shipgate status ${run.id}`);
  }
  if (!step || step.status !== 'waiting') {
    throw refuse(
      'SG_STEP_NOT_WAITING',
      `step ${input.stepId} of run ${run.id} is not waiting for approval (it is ${step?.status ?? 'not started'})`,
      `shipgate status ${run.id}`,
    );
  }
  if (!policy.members.some((m) => sameActor(m, actor.id))) {
    throw refuse(
      'SG_NOT_IN_ROLE',
      `${actor.id} is not a member of role "${policy.role}", which approves step ${input.stepId} (members: ${policy.members.join(', ') || 'none'})`,
      `ask a member of ${policy.role} to run: shipgate ${input.decision === 'approved' ? 'approve' : 'reject'} ${run.id} ${input.stepId}`,
    );
  }
  if (!policy.selfApproval && sameActor(actor.id, run.actor.id) && input.decision === 'approved') {
    throw refuse(
      'SG_SELF_APPROVAL',
      `step ${input.stepId} forbids self-approval, and ${actor.id} started run ${run.id}`,
      `ask another member of ${policy.role}: ${eligibleApprovers(policy, actor.id).join(', ') || '(none: add one to the role)'}`,
    );
  }
  if (input.existing.some((a) => sameActor(a.actor.id, actor.id))) {
    throw refuse('SG_ALREADY_DECIDED', `${actor.id} has already decided on step ${input.stepId} of run ${run.id}`, `shipgate status ${run.id}`);
  }
  for (const a of input.items) {
    if (a.item < 1 || a.item > policy.checklist.length) {
      throw refuse('SG_BAD_CHECKLIST_ITEM', `step ${input.stepId} has ${policy.checklist.length} checklist item(s); there is no item ${a.item}`, `shipgate status ${run.id}`);
    }
  }
  if (input.decision === 'approved') {
    const answered = new Set(input.items.map((a) => a.item));
    const missing = policy.checklist.map((_, i) => i + 1).filter((n) => !answered.has(n));
    if (missing.length > 0) {
      throw refuse(
        'SG_CHECKLIST_INCOMPLETE',
        `approving step ${input.stepId} needs an answer for every checklist item; missing: ${missing.map((n) => `${n} (${policy.checklist[n - 1]})`).join(', ')}`,
        `add --item ${missing[0]}=pass (or --all-pass after checking them all)`,
      );
    }
    const failed = input.items.filter((a) => a.result === 'fail');
    if (failed.length > 0) {
      throw refuse(
        'SG_CHECKLIST_FAILED',
        `checklist item ${failed.map((f) => f.item).join(', ')} failed; a step with a failed item cannot be approved`,
        `shipgate reject ${run.id} ${input.stepId} --note "…" --item ${failed[0]!.item}=fail`,
      );
    }
  } else if (!input.note) {
    throw refuse('SG_REJECT_NEEDS_NOTE', 'a rejection needs a note saying why', `shipgate reject ${run.id} ${input.stepId} --note "why"`);
  }
  return {
    runId: run.id,
    stepId: step.stepId,
    actor,
    decision: input.decision,
    note: input.note,
    items: input.items.map((a) => ({ ...a, text: policy.checklist[a.item - 1] ?? '' })),
    at: input.at,
  };
}
