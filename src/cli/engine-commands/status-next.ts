import { findLiveOrphan } from '../../engine/orphans.js';
import { isProcessGroupRunning } from '../../engine/process/process-group.js';
import { resumeHint } from '../../engine/resume-hint.js';
import { approvalState, eligibleApprovers } from '../../engine/approvals.js';
import { policyForStep } from '../../engine/waiting-policy.js';
import type { Plan } from '../../plan/plan.js';
import { sameActor } from '../../core/actor.js';
import type { RunRecord, StepRecord } from '../../store/records.js';
import type { StateStore } from '../../store/state-store.js';
import type { DriverState } from './driver-state.js';

/** What `shipgate status` says to do next: lines for people, and the bare commands (for --json). */
export interface StatusNext {
  readonly lines: readonly string[];
  readonly commands: readonly string[];
}

const NOTHING: StatusNext = { lines: [], commands: [] };

/**
 * The "next:" lines of `shipgate status`: the command that actually moves the run on. For an
 * unfinished run that is what `resume` will accept — not plain `resume` when a non-idempotent
 * step was cut off (it refuses), and not before a cut-off step's processes have ended (they
 * outlive a killed driver, and resume refuses while they run). Empty when nothing is to be done.
 */
export async function statusNext(store: StateStore, run: RunRecord, plan: Plan, steps: readonly StepRecord[], driver: DriverState): Promise<StatusNext> {
  if (run.status === 'waiting') {
    const waiting = steps.filter((x) => x.status === 'waiting').map((x) => x.stepId);
    if (!waiting.length) return NOTHING;
    // The first gate still short of approvals (two may wait side by side); none: resume.
    let pending: { step: string; who: string } | undefined;
    for (const id of waiting) {
      const who = await whoApproves(store, run, plan, id);
      if (who !== null) {
        pending = { step: id, who };
        break;
      }
    }
    if (!pending) return { lines: [`next: shipgate resume ${run.id}`], commands: [`shipgate resume ${run.id}`] };
    const who = pending.who;
    const commands = [`shipgate approve ${run.id} ${pending.step} --all-pass`, `shipgate resume ${run.id}`];
    return { lines: [who, `next: ${commands[0]}   then   ${commands[1]}`].filter((l) => l !== ''), commands };
  }
  if (run.status !== 'interrupted' && run.status !== 'running') return NOTHING;
  // A live driver is still at work: resume would refuse (SG_RUN_ACTIVE); nothing to do yet.
  if (run.status === 'running' && driver.kind === 'alive') return NOTHING;

  const out: string[] = [];
  if (run.status === 'running' && driver.kind === 'elsewhere') out.push(`if pid ${driver.pid} on ${driver.host} has stopped:`);
  const orphan = await findLiveOrphan(store, run.id, steps, isProcessGroupRunning);
  if (orphan) {
    out.push(`step ${orphan.step} is still running from before the interruption (process group ${orphan.pid}): wait for it to end, or stop it (kill -TERM -${orphan.pid}); then`);
  }
  const hint = resumeHint(run.id, plan, steps);
  const [first, skip] = hint.commands;
  if (!skip) return { lines: [...out, `next: ${first}`], commands: hint.commands };
  const them = hint.undecided.length > 1 ? 'they' : 'it';
  out.push(`${hint.undecided.join(', ')} ${hint.undecided.length > 1 ? 'were' : 'was'} cut off and ${hint.undecided.length > 1 ? 'are' : 'is'} not idempotent: check whether ${them} took effect, then`);
  out.push(`next: ${first}   (${them} did not: run again)`, `  or: ${skip}   (${them} did)`);
  return { lines: out, commands: hint.commands };
}

/**
 * Who can still move a waiting step on: the role's members who have not approved yet, without
 * the run's starter when self-approval is off — so after one of two approvals the line names
 * the people left, not the one who already approved. Null when it is decided already.
 */
async function whoApproves(store: StateStore, run: RunRecord, plan: Plan, stepId: string): Promise<string | null> {
  const step = [...plan.steps, ...plan.rollback].find((s) => s.id === stepId);
  if (!step) return '';
  const policy = await policyForStep(store, plan, run.id, step);
  const approvals = await store.listApprovals(run.id, step.id);
  const state = approvalState(policy, approvals);
  if (state.state !== 'pending') return null;
  const left = eligibleApprovers(policy, run.actor.id).filter((m) => !approvals.some((a) => sameActor(a.actor.id, m)));
  const need = state.need - state.have;
  return `${stepId} needs ${need} more approval(s) from role ${policy.role}: ${left.length ? left.join(', ') : 'nobody left who may approve (see the role and self-approval)'}`;
}
