import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvidenceLog } from '../../actions/action.js';
import { canonicalJson, sha256Hex } from '../../core/canonical-json.js';
import { formatDuration } from '../../core/duration.js';
import { UserError } from '../../core/errors.js';
import { GENESIS_HASH, type LedgerEntry } from '../../ledger/entry.js';
import type { GateCondition } from './gate-condition.js';

/** The ledger kind that proves a backup was restored and checked. */
export const BACKUP_VERIFIED = 'backup-verified';

/**
 * Verifies an exported ledger's hash chain (src/ledger/entry.ts): each entry's `prev` is the
 * previous entry's hash (64 zeros first) and `hash = sha256(prev ‖ canonicalJson(entry without
 * hash))`. Returns the first bad seq and why, or undefined when intact.
 */
export function verifyLedgerChain(entries: readonly LedgerEntry[]): { seq: number; reason: string } | undefined {
  let prev: string = GENESIS_HASH;
  for (const e of entries) {
    if (e.prev !== prev) return { seq: e.seq, reason: `prev does not match the previous entry's hash` };
    const { hash, ...rest } = e;
    const want = sha256Hex(e.prev + canonicalJson(rest));
    if (hash !== want) return { seq: e.seq, reason: 'hash does not match the entry (edited?)' };
    prev = hash;
  }
  return undefined;
}

/** Reads `DIR/ledger.json` (an evidence export committed with the PR) and verifies its chain. */
export async function readEvidenceExport(dir: string): Promise<LedgerEntry[]> {
  const file = join(dir, 'ledger.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new UserError('SG_GATE_BAD_EVIDENCE', `cannot read the evidence export ${file}: ${(e as Error).message}`, 'export it with `shipgate evidence export` and commit the directory');
  }
  const entries = Array.isArray(parsed) ? parsed : (parsed as { entries?: unknown })?.entries;
  if (!Array.isArray(entries)) throw new UserError('SG_GATE_BAD_EVIDENCE', `${file} holds neither an array of ledger entries nor {entries: [...]}`, 'export it again with `shipgate evidence export`');
  return entries as LedgerEntry[];
}

export interface BackupEvidenceOptions {
  readonly evidence?: EvidenceLog;
  /** An evidence export directory (with ledger.json). */
  readonly exportDir?: string;
  readonly maxAgeMs: number;
  readonly maxAge: string;
  readonly clock: () => Date;
}

/** Backup verification evidence recent enough, from the ledger or a verified export. */
export async function checkBackupEvidence(opts: BackupEvidenceOptions): Promise<GateCondition> {
  const title = 'Backup verification evidence';
  const expected = `a ${BACKUP_VERIFIED} entry newer than ${opts.maxAge}`;
  const found: { at: string; from: string }[] = [];
  if (opts.exportDir) {
    const entries = await readEvidenceExport(opts.exportDir);
    const bad = verifyLedgerChain(entries);
    if (bad) {
      return { id: 'backup-evidence', title, status: 'unmet', expected, measured: `${opts.exportDir}/ledger.json fails verification at seq ${bad.seq}: ${bad.reason}`, how: 'export the evidence again (`shipgate evidence export`) instead of editing it', annotations: [{ file: `${opts.exportDir}/ledger.json`, message: `hash chain broken at seq ${bad.seq}` }] };
    }
    for (const e of entries) if (e.kind === BACKUP_VERIFIED) found.push({ at: e.at, from: `${opts.exportDir}/ledger.json seq ${e.seq}` });
  }
  if (opts.evidence) for (const e of await opts.evidence.find({ kind: BACKUP_VERIFIED })) found.push({ at: e.at, from: `ledger seq ${e.seq}` });
  if (!opts.exportDir && !opts.evidence) return { id: 'backup-evidence', title, status: 'unmeasured', expected, measured: 'no ledger and no evidence export to read', how: 'pass --evidence DIR (a committed `shipgate evidence export`) or run where the state store is' };
  const newest = found.sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0];
  if (!newest) return { id: 'backup-evidence', title, status: 'unmet', expected, measured: `no ${BACKUP_VERIFIED} entry found`, how: 'run `shipgate backup` then `shipgate backup verify`, and commit the evidence export' };
  const age = opts.clock().getTime() - Date.parse(newest.at);
  const ok = age <= opts.maxAgeMs;
  return { id: 'backup-evidence', title, status: ok ? 'met' : 'unmet', expected, measured: `newest ${newest.at} (${formatDuration(Math.max(0, age))} old, ${newest.from})`, ...(ok ? {} : { how: 'verify a fresh backup (`shipgate backup verify`) and commit the new evidence export' }) };
}
