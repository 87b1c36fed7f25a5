import type { EvidenceLog } from '../../actions/action.js';
import type { LedgerEntry } from '../../ledger/entry.js';

/** The ledger kind recorded by `shipgate secrets rotated NAME`. */
export const SECRET_ROTATED = 'secret-rotated';

/**
 * Records that a secret was rotated. The entry holds the name and time only — never the value
 * nor anything computed from it (a hash or fingerprint of a short secret can be brute-forced).
 */
export async function recordRotation(evidence: EvidenceLog, name: string, note?: string): Promise<LedgerEntry> {
  return evidence.record(SECRET_ROTATED, note ? { name, note } : { name });
}

/** The newest rotation entry for a secret, or undefined. */
export async function findLastRotation(evidence: EvidenceLog, name: string): Promise<LedgerEntry | undefined> {
  const all = await evidence.find({ kind: SECRET_ROTATED });
  return all.filter((e) => (e.data as { name?: unknown } | null)?.name === name).at(-1);
}
