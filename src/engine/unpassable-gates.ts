import type { Actor } from '../core/actor.js';
import { UserError } from '../core/errors.js';
import type { Plan } from '../plan/plan.js';
import { eligibleApprovers } from './approvals.js';
import { waitingPolicy } from './waiting-policy.js';

/**
 * Refuses to start a run with a manual step that its starter makes impossible to pass: with
 * `self-approval: false`, the starter's own approval does not count, so a role of two members
 * cannot give `approvals: 2` when one of them started the run. Validation cannot see this (it
 * does not know who starts the run); finding it at the gate would leave a release half-done.
 */
export function refuseUnpassableGates(plan: Plan, actor: Actor): void {
  // Forward and rollback gates (a rollback within this run has the same starter), but not those
  // behind an `if:` (the condition may skip them here).
  for (const step of [...plan.steps, ...plan.rollback]) {
    if (!step.manual || step.if !== null) continue;
    const policy = waitingPolicy(plan, step);
    const eligible = eligibleApprovers(policy, actor.id);
    if (eligible.length >= policy.approvals) continue;
    throw new UserError(
      'SG_GATE_UNPASSABLE',
      `step ${step.id} needs ${policy.approvals} approval(s) from role "${policy.role}"${policy.selfApproval ? '' : ` other than the run's starter (${actor.id})`}, but only ${eligible.length} member(s) could give them (${eligible.join(', ') || 'none'}); nothing was run`,
      `add members to roles.${policy.role}.members, lower approvals: on step ${step.id}, or have someone outside the role start the run`,
    );
  }
}
