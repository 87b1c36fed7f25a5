import { isUserError } from '../../core/errors.js';
import type { DataContext } from '../../data/data-context.js';
import type { ActionContext, ActionOutcome } from '../action.js';
import { dataContextFor } from './data-context-for.js';

/** The data library's context for a step. Paths in `data:` stay relative to the runbook. */
export function dataContextOf(ctx: ActionContext): DataContext {
  return dataContextFor(ctx.runbook, { env: ctx.env, vars: ctx.vars, secrets: ctx.secrets, signal: ctx.signal, clock: ctx.clock, log: (l) => ctx.log(l) });
}

/** Expected failures (UserError) become a failed outcome with the code, message and next step. */
export async function asOutcome(fn: () => Promise<ActionOutcome>): Promise<ActionOutcome> {
  try {
    return await fn();
  } catch (e) {
    if (!isUserError(e)) throw e;
    return { status: 'failed', summary: `${e.code}: ${e.message}${e.hint ? ` (next: ${e.hint})` : ''}`, data: { code: e.code, ...(e.details ?? {}) } };
  }
}
