import type { Actor } from '../core/actor.js';
import type { RunId, Sha256Hex, StepId } from '../core/brand.js';

/**
 * One ledger entry (DESIGN.md §4). The ledger is append-only and hash-chained:
 *
 *   hash = sha256( prev ‖ canonicalJson({seq, at, run, step, kind, actor, data, prev}) )
 *
 * where `prev` is the previous entry's hash (64 zeros for the first). Editing, deleting or
 * reordering any entry breaks every hash after it; `shipgate evidence verify` names the first.
 * `data` is redacted before the entry is built.
 */
export interface LedgerEntry {
  readonly seq: number;
  /** ISO-8601 UTC. */
  readonly at: string;
  readonly run: RunId | null;
  readonly step: StepId | null;
  /** The event kind (`run-started`, `step-finished`, `approval-recorded`, `backup-verified`, …). */
  readonly kind: string;
  readonly actor: Actor;
  readonly data: unknown;
  readonly prev: Sha256Hex;
  readonly hash: Sha256Hex;
}

/** What a caller gives to append; the store assigns seq, prev and hash atomically. */
export type LedgerDraft = Pick<LedgerEntry, 'at' | 'run' | 'step' | 'kind' | 'actor' | 'data'>;

export const GENESIS_HASH = '0'.repeat(64) as Sha256Hex;
