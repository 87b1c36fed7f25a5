import type { CheckRecord, EvidenceLog } from '../actions/action.js';
import type { Sha256Hex } from '../core/brand.js';
import { canonicalJson, sha256Hex } from '../core/canonical-json.js';
import { dataError } from './errors.js';
import { findCreated } from './evidence.js';
import type { BackupMetadata } from './types.js';

/**
 * sha256 of the canonical metadata.json. The manifest digest covers only `data/`; restore and
 * rehearsal act on metadata (which database, which storage folders), so it is pinned in the
 * `backup-created` ledger entry too.
 */
export function digestMetadata(meta: BackupMetadata): Sha256Hex {
  return sha256Hex(canonicalJson(meta));
}

/** The `metadata-digest` check of a verification: metadata.json equals what was recorded at creation. */
export async function checkMetadataDigest(evidence: EvidenceLog, id: string, meta: BackupMetadata, file: string): Promise<CheckRecord> {
  const created = await findCreated(evidence, id);
  const measured = digestMetadata(meta);
  const recorded = created?.metadataDigest;
  return {
    name: 'metadata-digest',
    passed: recorded !== undefined && recorded === measured,
    expected: recorded ?? (created ? 'a metadata digest in the backup-created entry (this backup predates it: create a new one)' : 'a backup-created entry in the ledger'),
    measured: recorded === undefined || recorded === measured ? measured : `${measured} — metadata.json changed since the backup was created`,
    ms: 0,
    details: { file },
  };
}

/** Refuses (before anything is touched) a backup whose metadata.json is not the one recorded at creation. */
export async function requireTrustedMetadata(evidence: EvidenceLog, id: string, environment: string, meta: BackupMetadata, file: string, what: string): Promise<void> {
  const c = await checkMetadataDigest(evidence, id, meta, file);
  if (!c.passed) {
    throw dataError('SG_DATA_METADATA_CHANGED', `${file} of backup ${id} is not the one recorded when the backup was created (expected ${c.expected}, found ${c.measured}); nothing was ${what}`, `shipgate backup verify ${id} --env ${environment}  (or restore another verified backup)`, { check: c });
  }
}
