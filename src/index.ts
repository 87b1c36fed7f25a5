/** shipgate's public library API. */
export * from './core/brand.js';
export * from './core/errors.js';
export * from './core/exit-codes.js';
export type { Runbook, RunbookStep } from './runbook/schema.js';
export type { Plan, PlannedStep } from './plan/plan.js';
export type { ActionDefinition, ActionContext, ActionOutcome, CheckRecord } from './actions/action.js';
