import type { CheckRecord, EvidenceLog } from '../actions/action.js';
import type { Sha256Hex } from '../core/brand.js';

/** Ledger kinds written by the data library. */
export const EVIDENCE = {
  created: 'backup-created',
  verified: 'backup-verified',
  verificationFailed: 'backup-verification-failed',
  restored: 'backup-restored',
  pruned: 'backup-pruned',
  rehearsed: 'rehearsal-finished',
} as const;

/** `data` of a `backup-created` entry. */
export interface BackupCreatedData {
  readonly id: string;
  readonly environment: string;
  readonly path: string;
  readonly createdAt: string;
  readonly totalSize: number;
  readonly files: number;
  readonly manifestDigest: Sha256Hex;
  /** sha256 of the canonical metadata.json (absent in entries written before it was recorded). */
  readonly metadataDigest?: Sha256Hex;
  readonly reason: string;
  readonly database: string | null;
}

/** `data` of a `backup-verified` / `backup-verification-failed` entry. */
export interface BackupVerificationData {
  readonly id: string;
  readonly environment: string;
  readonly path: string;
  readonly manifestDigest: Sha256Hex;
  readonly passed: boolean;
  readonly checks: readonly CheckRecord[];
}

/**
 * Is this backup verified? Decided from the ledger only: the newest verification entry for this
 * backup id AND this manifest digest must have passed. A later failed verification, or a
 * manifest that changed since, makes it unverified again.
 */
export async function isBackupVerified(evidence: EvidenceLog, id: string, manifestDigest: string): Promise<boolean> {
  const latest = await latestVerification(evidence, id, manifestDigest);
  return latest?.passed === true;
}

export async function latestVerification(evidence: EvidenceLog, id: string, manifestDigest?: string): Promise<BackupVerificationData | undefined> {
  const entries = [...(await evidence.find({ kind: EVIDENCE.verified })), ...(await evidence.find({ kind: EVIDENCE.verificationFailed }))];
  entries.sort((a, b) => b.seq - a.seq);
  for (const e of entries) {
    const d = e.data as BackupVerificationData;
    if (d?.id === id && (manifestDigest === undefined || d.manifestDigest === manifestDigest)) return d;
  }
  return undefined;
}

/** The `backup-created` entry of a backup, when the ledger has one. */
export async function findCreated(evidence: EvidenceLog, id: string): Promise<BackupCreatedData | undefined> {
  const entries = await evidence.find({ kind: EVIDENCE.created });
  return entries.map((e) => e.data as BackupCreatedData).find((d) => d?.id === id);
}
