import type { Runbook, RunbookStep } from '../../runbook/schema.js';

/** The runbook's steps that use one of the named actions, in phase order. */
export function stepsUsing(rb: Runbook, names: readonly string[]): RunbookStep[] {
  return rb.phases.flatMap((p) => p.steps).filter((s) => s.uses !== undefined && names.includes(s.uses));
}
