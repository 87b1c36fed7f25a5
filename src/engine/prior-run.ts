import type { RunId } from '../core/brand.js';
import { UserError } from '../core/errors.js';
import type { Plan, PlannedStep, PriorRun } from '../plan/plan.js';
import { rollbackInfo } from '../plan/rollback-info.js';
import { stepReads } from '../plan/step-reads.js';
import type { StateStore } from '../store/state-store.js';
import type { RunRecord, StepStatus } from '../store/records.js';

/** A value of a forward step that a standalone rollback reads without a fallback. */
export interface ForwardRead {
  readonly step: string;
  /** `outputs.KEY` → KEY; undefined for `status` or the whole step. */
  readonly output: string | undefined;
  readonly readBy: readonly string[];
}

/**
 * What the rollback steps read from forward steps (`steps.backup.outputs.id`) that must have a
 * value. In an automatic rollback those steps ran earlier in the same run; in `shipgate
 * rollback` they did not, so the values come from the run being rolled back. Reads in an `if:`
 * (a condition decides about absence) and reads with an `||` fallback are not listed.
 */
export function forwardReads(rollbackSteps: readonly PlannedStep[]): ForwardRead[] {
  const own = new Set(rollbackSteps.map((s) => s.id as string));
  const reads = new Map<string, { step: string; output: string | undefined; readBy: Set<string> }>();
  for (const step of rollbackSteps) {
    for (const r of stepReads(step)) {
      const target = r.path[0];
      if (r.root !== 'steps' || !target || own.has(target) || r.inCondition || r.hasFallback) continue;
      const output = r.path[1] === 'outputs' ? r.path[2] : undefined;
      const key = `${target}\0${output ?? ''}`;
      const entry = reads.get(key) ?? { step: target, output, readBy: new Set<string>() };
      entry.readBy.add(step.id);
      reads.set(key, entry);
    }
  }
  return [...reads.values()].map((e) => ({ step: e.step, output: e.output, readBy: [...e.readBy] }));
}

const FINISHED: ReadonlySet<StepStatus> = new Set(['passed', 'failed-continued', 'skipped']);

/**
 * The run a standalone rollback rolls back: `fromRun` when given (a run of the same runbook and
 * environment), else the newest release run of this runbook in this environment (not an earlier
 * rollback). Its release and its finished forward steps, as `${{ steps.ID.… }}` reads them.
 * Undefined when there is no such run.
 */
export async function findPriorRun(store: StateStore, plan: Plan, fromRun?: RunId): Promise<PriorRun | undefined> {
  let run: RunRecord | undefined;
  if (fromRun !== undefined) {
    run = await store.getRun(fromRun);
    if (!run) throw new UserError('SG_RUN_NOT_FOUND', `no run ${fromRun} in this state store`, 'list runs with: shipgate runs');
    if (run.runbookName !== plan.runbook.name || run.environment !== plan.environment) {
      throw new UserError(
        'SG_ROLLBACK_WRONG_RUN',
        `run ${fromRun} is a run of ${run.runbookName} in ${run.environment}, not of ${plan.runbook.name} in ${plan.environment}`,
        `list the runs of ${plan.environment} with: shipgate runs --env ${plan.environment}`,
      );
    }
  } else {
    const runs = (await store.listRuns({ environment: plan.environment })).filter((r) => r.runbookName === plan.runbook.name);
    run = runs.find((r) => !rollbackInfo(r.planJson));
  }
  if (!run) return undefined;
  const steps: Record<string, { outputs: Record<string, string>; status: string }> = {};
  for (const s of await store.getSteps(run.id)) {
    if (s.section === 'forward' && FINISHED.has(s.status)) steps[s.stepId] = { outputs: { ...s.outputs }, status: s.status };
  }
  return { id: run.id, startedAt: run.startedAt, release: run.release, steps };
}

/**
 * Refuses a standalone rollback that would read an empty value: a forward step's output that
 * the run being rolled back did not produce (the step was skipped, cut off or never reached).
 * Without this it would stop the app, then fail on the empty input.
 */
export function refuseUnreadable(plan: Plan, reads: readonly ForwardRead[], prior: PriorRun | undefined, named = false): void {
  const missing = reads.filter((r) => {
    const step = prior?.steps[r.step];
    if (!step) return true;
    return r.output !== undefined && !step.outputs[r.output];
  });
  if (missing.length === 0) return;
  const m = missing[0]!;
  const path = (r: ForwardRead) => `steps.${r.step}${r.output !== undefined ? `.outputs.${r.output}` : ''}`;
  const what = path(m);
  const source = prior ? `run ${prior.id}${named ? '' : ` (the newest of ${plan.runbook.name} in ${plan.environment})`} has no value for it` : `no earlier run of ${plan.runbook.name} in ${plan.environment} has it`;
  const also = [...new Set(missing.slice(1).map(path))].filter((p) => p !== what);
  throw new UserError(
    'SG_ROLLBACK_NEEDS_RUN',
    `rollback step ${m.readBy.join(', ')} reads ${what}, which a rollback on its own does not produce, and ${source}${also.length ? ` (also: ${also.join(', ')})` : ''}; nothing was run`,
    `name the release run to roll back with --from-run RUN (see: shipgate runs --env ${plan.environment}), or give the expression a fallback, e.g. \${{ ${what} || 'latest-verified' }}`,
  );
}
