import type { RunId, Sha256Hex } from '../core/brand.js';
import type { ApprovalRecord, RunRecord, StepRecord } from '../store/records.js';
import type { StateStore } from '../store/state-store.js';
import { runNotFound } from '../store/store-errors.js';
import { findArtifactMentions } from './artifact-refs.js';
import type { LedgerEntry } from './entry.js';

/** An artifact referenced by the run's ledger entries, as found in the artifact store. */
export interface EvidenceArtifact {
  readonly sha256: Sha256Hex;
  readonly name: string;
  /** Ledger seq of the first entry that refers to it. */
  readonly seq: number;
  /** Path in the artifact store, or undefined when it is missing. */
  readonly path: string | undefined;
}

/**
 * Everything known about one run, in one immutable value: what `evidence show --json` prints,
 * what `evidence export` writes, and what run.md renders.
 */
export interface RunEvidence {
  readonly run: RunRecord;
  readonly steps: readonly StepRecord[];
  readonly approvals: readonly ApprovalRecord[];
  /** This run's ledger entries, in seq order. */
  readonly entries: readonly LedgerEntry[];
  /**
   * The contiguous stretch of the chain from this run's first entry to the ledger head, including
   * the entries of other runs (and run-less evidence such as `backup-verified`) in between: a
   * chain can only be checked without gaps, and its last entry is the recorded head.
   */
  readonly chain: readonly LedgerEntry[];
  /** The entry just before `chain[0]` (null when the chain starts at seq 1): its hash anchors the slice. */
  readonly anchor: LedgerEntry | null;
  /** The whole ledger's last entry when the evidence was collected. */
  readonly ledgerHead: { readonly seq: number; readonly hash: Sha256Hex } | null;
  readonly artifacts: readonly EvidenceArtifact[];
}

/** Reads a run's evidence from the store; SG_RUN_NOT_FOUND when there is no such run. */
export async function collectRunEvidence(
  store: StateStore,
  artifacts: { locate(sha256: Sha256Hex): Promise<string | undefined> },
  runId: RunId,
): Promise<RunEvidence> {
  const run = await store.getRun(runId);
  if (!run) throw runNotFound(runId);
  const [steps, approvals, entries] = await Promise.all([store.getSteps(runId), store.listApprovals(runId), store.readLedger({ run: runId })]);
  let chain: LedgerEntry[] = [];
  let anchor: LedgerEntry | null = null;
  const first = entries[0];
  if (first) {
    // The slice runs from the run's first entry to the ledger head, so the bundle's recorded head
    // IS its last entry: a verifier can check it, and a cut-short chain no longer matches.
    const from = await store.readLedger({ fromSeq: Math.max(1, first.seq - 1) });
    anchor = from[0] && from[0].seq === first.seq - 1 ? from[0] : null;
    chain = from.filter((e) => e.seq >= first.seq);
  }
  const tail = chain.at(-1) ?? (await lastEntry(store, 0));
  const found = new Map<Sha256Hex, EvidenceArtifact>();
  for (const e of entries) {
    for (const m of findArtifactMentions(e.data, e.step ? `${e.step}.log` : 'log')) {
      if (!found.has(m.sha256)) found.set(m.sha256, { sha256: m.sha256, name: m.name, seq: e.seq, path: await artifacts.locate(m.sha256) });
    }
  }
  return {
    run,
    steps,
    approvals,
    entries,
    chain,
    anchor,
    ledgerHead: tail ? { seq: tail.seq, hash: tail.hash } : null,
    artifacts: [...found.values()],
  };
}

async function lastEntry(store: StateStore, fromSeq: number): Promise<LedgerEntry | undefined> {
  // The StateStore seam has no "head" query; reading from the run's last entry keeps this short.
  const rest = await store.readLedger({ fromSeq: Math.max(1, fromSeq) });
  return rest.at(-1);
}
