import type { EvidenceLog } from '../../src/actions/action.js';
import { asRunId, type RunId } from '../../src/core/brand.js';
import { canonicalJson, sha256Hex } from '../../src/core/canonical-json.js';
import { GENESIS_HASH, type LedgerEntry } from '../../src/ledger/entry.js';

/**
 * An in-memory EvidenceLog builder for tests of the data library (a test double of the ledger,
 * not of a third-party service): it hash-chains entries like the real ledger so tests can
 * inspect what was recorded.
 */
export function buildInMemoryEvidenceLog(run: RunId | null = asRunId('r-test')): EvidenceLog & { entries: LedgerEntry[] } {
  const entries: LedgerEntry[] = [];
  return {
    entries,
    async record(kind, data) {
      const prev = entries.at(-1)?.hash ?? GENESIS_HASH;
      const base = { seq: entries.length + 1, at: new Date().toISOString(), run, step: null, kind, actor: { id: 'test', via: 'system' as const }, data: JSON.parse(JSON.stringify(data)) as unknown, prev };
      const entry: LedgerEntry = { ...base, hash: sha256Hex(prev + canonicalJson(base)) };
      entries.push(entry);
      return entry;
    },
    async find(filter) {
      return entries.filter((e) => (!filter.kind || e.kind === filter.kind) && (!filter.run || e.run === filter.run));
    },
  };
}
