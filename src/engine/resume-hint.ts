import type { RunId } from '../core/brand.js';
import type { Plan } from '../plan/plan.js';
import type { StepRecord, StepStatus } from '../store/records.js';

/** What `shipgate resume` needs to be told before it continues a run, and the commands that tell it. */
export interface ResumeHint {
  /** Cut-off steps that are not idempotent: resume refuses to guess whether they took effect. */
  readonly undecided: readonly string[];
  /** The command(s) to run next: plain resume, or the --rerun and --skip choices. */
  readonly commands: readonly string[];
}

/**
 * The next command for an unfinished run, by the same rule resume applies (resume-run.ts): a
 * step left `running` or `interrupted` re-runs by itself only if it is idempotent; otherwise the
 * operator chooses --rerun or --skip --reason. Printing plain `shipgate resume` for such a run
 * would send the operator to a refusal, so the choices are named here instead.
 */
export function resumeHint(runId: RunId | string, plan: Plan, steps: ReadonlyArray<Pick<StepRecord, 'stepId' | 'status'>>): ResumeHint {
  const planned = new Map([...plan.steps, ...plan.rollback].map((s) => [s.id as string, s]));
  const undecided = steps.filter((s) => CUT_OFF.has(s.status) && !planned.get(s.stepId)?.idempotent).map((s) => s.stepId as string);
  if (undecided.length === 0) return { undecided, commands: [`shipgate resume ${runId}`] };
  const ids = undecided.join(' ');
  return { undecided, commands: [`shipgate resume ${runId} --rerun ${ids}`, `shipgate resume ${runId} --skip ${ids} --reason "…"`] };
}

/** One line for a summary: `shipgate resume R`, or both choices with what each means. */
export function resumeHintText(hint: ResumeHint): string {
  const [rerun, skip] = hint.commands;
  if (!skip) return rerun!;
  const which = hint.undecided.length > 1 ? `${hint.undecided.join(', ')} are` : `${hint.undecided[0]} is`;
  return `${which} not idempotent; check whether ${hint.undecided.length > 1 ? 'they' : 'it'} took effect, then: ${rerun}   or   ${skip}`;
}

const CUT_OFF: ReadonlySet<StepStatus> = new Set(['running', 'interrupted']);
