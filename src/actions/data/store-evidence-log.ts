import type { EvidenceLog } from '../action.js';
import type { Actor } from '../../core/actor.js';
import type { StateStore } from '../../store/state-store.js';

/** An EvidenceLog over the state store's ledger, for CLI commands run outside a run (run and step are null). */
export function storeEvidenceLog(store: StateStore, actor: Actor, clock: () => Date = () => new Date()): EvidenceLog {
  return {
    record: (kind, data) => store.appendLedger({ at: clock().toISOString(), run: null, step: null, kind, actor, data }),
    find: (filter) => store.readLedger(filter),
  };
}
