import type { Plan } from './plan.js';

/** What a stored plan says about a `shipgate rollback` run: its reason and the run it rolls back. */
export interface RollbackInfo {
  readonly purpose: 'rollback';
  /**
   * --reason. Null for a rollback recorded before the reason had its own field: its `release`
   * holds `rollback: <reason>` instead (and its run.md has no Rollback row, so exported bundles
   * of it still verify).
   */
  readonly reason: string | null;
  /** The run whose release it rolls back (and whose outputs its steps read); null if none was found. */
  readonly of: string | null;
}

/** From a run's stored plan JSON; undefined for a release run (or a plan that does not parse). */
export function rollbackInfo(planJson: string): RollbackInfo | undefined {
  let plan: Pick<Plan, 'purpose' | 'reason' | 'priorRun'>;
  try {
    plan = JSON.parse(planJson) as typeof plan;
  } catch {
    return undefined;
  }
  return plan?.purpose === 'rollback' ? { purpose: 'rollback', reason: plan.reason ?? null, of: plan.priorRun?.id ?? null } : undefined;
}
