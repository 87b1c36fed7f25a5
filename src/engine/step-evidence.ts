import type { ActionContext } from '../actions/action.js';
import type { StepId } from '../core/brand.js';
import type { StepRuntime } from './step-runtime.js';

/**
 * Ledger access for one step's action; what it records is redacted like everything else.
 *
 * Held events are written first: in a parallel run another step's end may still be held
 * (Publisher.publishSoon) when this action records, and the ledger must keep the order in which
 * things happened — that step ended before this evidence was taken.
 */
export function evidenceFor(rt: Pick<StepRuntime, 'store' | 'publisher' | 'redactor' | 'runId' | 'actor' | 'clock'>, stepId: StepId): ActionContext['evidence'] {
  return {
    record: async (kind, data) => {
      await rt.publisher.flush();
      return rt.store.appendLedger({ at: rt.clock().toISOString(), run: rt.runId, step: stepId, kind, actor: rt.actor, data: rt.redactor.redactData(data) });
    },
    find: (filter) => rt.store.readLedger(filter),
  };
}
