import type { EvidenceLog } from '../../src/actions/action.js';
import { SYSTEM_ACTOR } from '../../src/core/actor.js';
import { GENESIS_HASH, type LedgerEntry } from '../../src/ledger/entry.js';
import { buildEntry } from '../../src/ledger/hash-entry.js';

/**
 * An IN-MEMORY EvidenceLog for library tests (not a fake of a third-party service: a test double
 * of our own seam). Entries are hash-chained with the real buildEntry, so exports verify.
 */
export function inMemoryEvidence(clock: () => Date = () => new Date()): EvidenceLog & { entries: LedgerEntry[] } {
  const entries: LedgerEntry[] = [];
  return {
    entries,
    async record(kind, data) {
      const head = entries.at(-1) ?? { seq: 0, hash: GENESIS_HASH };
      const e = buildEntry({ at: clock().toISOString(), run: null, step: null, kind, actor: SYSTEM_ACTOR, data }, head);
      entries.push(e);
      return e;
    },
    async find(filter) {
      return entries.filter((e) => (!filter.kind || e.kind === filter.kind) && (!filter.run || e.run === filter.run));
    },
  };
}
