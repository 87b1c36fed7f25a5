import type { RunId, Sha256Hex } from '../core/brand.js';
import type { LedgerEntry } from './entry.js';

/** Format tag of ledger.json, bumped if its shape changes. */
export const LEDGER_SLICE_FORMAT = 'shipgate-ledger-slice/1';

/** ledger.json: a verifiable slice of the chain. */
export interface LedgerSlice {
  readonly format: typeof LEDGER_SLICE_FORMAT;
  readonly run: RunId;
  /** The entry before `entries[0]`; null when the slice starts at seq 1 (after the genesis hash). */
  readonly anchor: LedgerEntry | null;
  /** Contiguous entries from the run's first to the ledger head at export (other runs' entries included). */
  readonly entries: readonly LedgerEntry[];
  /** Seqs of the entries that belong to this run. */
  readonly runSeqs: readonly number[];
  /** The last entry of `entries` (the ledger head at export); verification requires they match. */
  readonly ledgerHead: { readonly seq: number; readonly hash: Sha256Hex } | null;
}

export interface ExportedArtifact {
  readonly sha256: Sha256Hex;
  readonly name: string;
  /** Relative to the export directory; null when the artifact was missing from the store. */
  readonly file: string | null;
}
