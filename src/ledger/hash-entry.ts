import type { Sha256Hex } from '../core/brand.js';
import { canonicalJson, sha256Hex } from '../core/canonical-json.js';
import type { LedgerDraft, LedgerEntry } from './entry.js';

/**
 * The chain rule of entry.ts:
 *
 *   hash = sha256( prev ‖ canonicalJson({seq, at, run, step, kind, actor, data, prev}) )
 *
 * `prev` is the previous entry's hash as 64 lower-case hex characters, concatenated as text.
 */
export function computeEntryHash(prev: Sha256Hex, entry: Omit<LedgerEntry, 'hash'>): Sha256Hex {
  const { seq, at, run, step, kind, actor, data } = entry;
  return sha256Hex(prev + canonicalJson({ seq, at, run, step, kind, actor, data, prev: entry.prev }));
}

/**
 * Builds the entry that follows `head` (or the first one, after GENESIS_HASH). `data` is
 * normalised to its canonical JSON form (undefined members dropped, `undefined` → null) so that
 * what is stored, re-read and re-hashed is exactly what was hashed.
 */
export function buildEntry(draft: LedgerDraft, head: { seq: number; hash: Sha256Hex }): LedgerEntry {
  const data = JSON.parse(canonicalJson(draft.data ?? null)) as unknown;
  const body = {
    seq: head.seq + 1,
    at: draft.at,
    run: draft.run ?? null,
    step: draft.step ?? null,
    kind: draft.kind,
    actor: { id: draft.actor.id, via: draft.actor.via },
    data,
    prev: head.hash,
  };
  return { ...body, hash: computeEntryHash(head.hash, body) };
}
