import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Sha256Hex } from '../core/brand.js';
import { findArtifactMentions } from './artifact-refs.js';
import { GENESIS_HASH, type LedgerEntry } from './entry.js';
import { computeEntryHash } from './hash-entry.js';

/** Why an entry does not match (a closed union, keyed for scripts; `reason` is for people). */
export type LedgerProblem =
  | 'entry-changed'
  | 'broken-link'
  | 'missing-entry'
  | 'out-of-order'
  | 'head-mismatch'
  | 'artifact-missing'
  | 'artifact-changed'
  /** A bundle without its run's run-started / final entry, or with no entries (verifyEvidenceBundle). */
  | 'run-incomplete'
  /** run.json or the runs/steps tables disagree with the ledger (they are its projection). */
  | 'status-mismatch'
  /** run.md is not what run.json + ledger.json render to. */
  | 'report-changed';

export type LedgerVerdict =
  | { readonly ok: true; readonly count: number; readonly head: Sha256Hex }
  | { readonly ok: false; readonly seq: number; readonly problem: LedgerProblem; readonly reason: string };

export interface VerifyLedgerOptions {
  /**
   * The entry just before `entries[0]`, for a slice of the chain (an export). Default: none —
   * the entries must start at seq 1 after the genesis hash.
   */
  readonly anchor?: { readonly seq: number; readonly hash: Sha256Hex };
  /** When given, the last entry's hash must equal it (catches a changed-and-rehashed tail). */
  readonly expectedHead?: Sha256Hex;
  /**
   * When given, every artifact an entry refers to (see findArtifactMentions) must exist and
   * still hash to its digest. `locate` returns the file's path or undefined.
   */
  readonly artifacts?: { locate(sha256: Sha256Hex): Promise<string | undefined> };
  /** Limits the artifact check to some entries (an export carries only its run's artifacts). Default: all. */
  readonly checkArtifactsOf?: (entry: LedgerEntry) => boolean;
}

/**
 * Recomputes the hash chain and names the FIRST entry that does not match: changed data or hash
 * (`entry-changed`), a `prev` that is not the previous entry's hash (`broken-link`), a gap in
 * seq (`missing-entry`, naming the missing seq), seq going backwards (`out-of-order`), or — with
 * `artifacts` — a referenced artifact that is gone or changed. An empty list verifies with the
 * anchor's (or genesis) hash as head.
 */
export async function verifyLedger(entries: readonly LedgerEntry[], opts: VerifyLedgerOptions = {}): Promise<LedgerVerdict> {
  let expectedSeq = (opts.anchor?.seq ?? 0) + 1;
  let expectedPrev: Sha256Hex = opts.anchor?.hash ?? GENESIS_HASH;
  const artifactCache = new Map<Sha256Hex, 'ok' | 'missing' | 'changed'>();
  for (const e of entries) {
    if (e.seq > expectedSeq) {
      return fail(expectedSeq, 'missing-entry', `entry ${expectedSeq} is missing (the next entry is ${e.seq})`);
    }
    if (e.seq < expectedSeq) {
      return fail(e.seq, 'out-of-order', `entry ${e.seq} comes after entry ${expectedSeq - 1} (reordered or duplicated)`);
    }
    const { hash, ...body } = e;
    if (computeEntryHash(e.prev, body) !== hash) {
      return fail(e.seq, 'entry-changed', `its content no longer matches its hash (the entry was edited)`);
    }
    if (e.prev !== expectedPrev) {
      const before = expectedSeq - 1;
      return fail(e.seq, 'broken-link', `its prev does not match the hash of ${before === 0 ? 'the chain start' : `entry ${before}`} (an entry before it was edited and re-hashed, removed or reordered)`);
    }
    if (opts.artifacts && (opts.checkArtifactsOf?.(e) ?? true)) {
      for (const m of findArtifactMentions(e.data, e.step ? `${e.step}.log` : 'log')) {
        let state = artifactCache.get(m.sha256);
        if (!state) {
          state = await checkArtifact(opts.artifacts, m.sha256);
          artifactCache.set(m.sha256, state);
        }
        if (state === 'missing') return fail(e.seq, 'artifact-missing', `artifact ${m.name} (sha256 ${m.sha256.slice(0, 12)}…) is missing`);
        if (state === 'changed') return fail(e.seq, 'artifact-changed', `artifact ${m.name} changed (its content no longer hashes to ${m.sha256.slice(0, 12)}…)`);
      }
    }
    expectedSeq = e.seq + 1;
    expectedPrev = hash;
  }
  if (opts.expectedHead !== undefined && expectedPrev !== opts.expectedHead) {
    return fail(expectedSeq - 1, 'head-mismatch', `the last entry's hash ${expectedPrev.slice(0, 12)}… is not the expected head ${opts.expectedHead.slice(0, 12)}…`);
  }
  return { ok: true, count: entries.length, head: expectedPrev };
}

function fail(seq: number, problem: LedgerProblem, reason: string): LedgerVerdict {
  return { ok: false, seq, problem, reason };
}

async function checkArtifact(
  locator: { locate(sha256: Sha256Hex): Promise<string | undefined> },
  sha256: Sha256Hex,
): Promise<'ok' | 'missing' | 'changed'> {
  const path = await locator.locate(sha256);
  if (path === undefined) return 'missing';
  try {
    return (await hashFile(path)) === sha256 ? 'ok' : 'changed';
  } catch {
    return 'missing';
  }
}

/** Streams a file through SHA-256 (never the whole file in memory). */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
