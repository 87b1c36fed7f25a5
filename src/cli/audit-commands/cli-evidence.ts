import type { EvidenceLog } from '../../actions/action.js';
import type { Actor } from '../../core/actor.js';
import type { StateStore } from '../../store/state-store.js';

/**
 * The EvidenceLog of a CLI command outside a run (run and step are null): appends to the
 * store's ledger with the asserted actor. Data must already be free of secret values.
 */
export function cliEvidence(store: StateStore, actor: Actor, clock: () => Date): EvidenceLog {
  return {
    record: (kind, data) => store.appendLedger({ at: clock().toISOString(), run: null, step: null, kind, actor, data }),
    find: (filter) => store.readLedger(filter),
  };
}
