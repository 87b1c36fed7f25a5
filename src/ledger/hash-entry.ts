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
  return prepareEntry(draft, head).entry;
}

/**
 * buildEntry, also giving `data`'s canonical JSON (what the store writes). The data is
 * serialised once: the hash input is assembled around that string rather than re-encoding the
 * whole entry, because the engine appends several entries per step (bench/engine/overhead.mjs).
 * It is byte-for-byte computeEntryHash's input (test/ledger/verify-ledger.test.ts checks that
 * on generated data).
 */
export function prepareEntry(draft: LedgerDraft, head: { seq: number; hash: Sha256Hex }): { entry: LedgerEntry; dataJson: string } {
  const dataJson = canonicalJson(draft.data ?? null);
  const body = {
    seq: head.seq + 1,
    at: draft.at,
    run: draft.run ?? null,
    step: draft.step ?? null,
    kind: draft.kind,
    actor: { id: draft.actor.id, via: draft.actor.via },
    data: JSON.parse(dataJson) as unknown,
    prev: head.hash,
  };
  // Keys in canonical (sorted) order: actor, at, data, kind, prev, run, seq, step.
  const c = canonicalJson;
  const hashInput = `{"actor":${c(body.actor)},"at":${c(body.at)},"data":${dataJson},"kind":${c(body.kind)},"prev":${c(body.prev)},"run":${c(body.run)},"seq":${c(body.seq)},"step":${c(body.step)}}`;
  return { entry: { ...body, hash: sha256Hex(head.hash + hashInput) }, dataJson };
}
