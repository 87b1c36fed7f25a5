import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvidenceLog } from '../../actions/action.js';
import { formatDuration } from '../../core/duration.js';
import { UserError } from '../../core/errors.js';
import type { LedgerEntry } from '../../ledger/entry.js';
import { LEDGER_SLICE_FORMAT, type LedgerSlice } from '../../ledger/export-run-evidence.js';
import { verifyLedger } from '../../ledger/verify-ledger.js';
import type { GateCondition } from './gate-condition.js';

/** The ledger kind that proves a backup was restored and checked. */
export const BACKUP_VERIFIED = 'backup-verified';

/**
 * Reads `DIR/ledger.json` (a `shipgate evidence export`, committed with the PR) and verifies its
 * hash chain from its anchor with the ledger's own verifier. Returns the entries, or why the
 * chain does not hold.
 */
export async function readEvidenceExport(dir: string): Promise<{ entries: readonly LedgerEntry[]; broken?: string }> {
  const file = join(dir, 'ledger.json');
  let slice: LedgerSlice;
  try {
    slice = JSON.parse(await readFile(file, 'utf8')) as LedgerSlice;
  } catch (e) {
    throw new UserError('SG_GATE_BAD_EVIDENCE', `cannot read the evidence export ${file}: ${(e as Error).message}`, 'export it with `shipgate evidence export RUN --out DIR` and commit the directory');
  }
  if (slice?.format !== LEDGER_SLICE_FORMAT || !Array.isArray(slice.entries)) {
    throw new UserError('SG_GATE_BAD_EVIDENCE', `${file} is not a ${LEDGER_SLICE_FORMAT} export`, 'export it again with `shipgate evidence export`');
  }
  const verdict = await verifyLedger(slice.entries, slice.anchor ? { anchor: slice.anchor } : {});
  return verdict.ok ? { entries: slice.entries } : { entries: slice.entries, broken: `seq ${verdict.seq}: ${verdict.reason}` };
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
    const { entries, broken } = await readEvidenceExport(opts.exportDir);
    if (broken) {
      return { id: 'backup-evidence', title, status: 'unmet', expected, measured: `${opts.exportDir}/ledger.json fails verification at ${broken}`, how: 'export the evidence again (`shipgate evidence export`) instead of editing it', annotations: [{ file: `${opts.exportDir}/ledger.json`, message: `hash chain broken at ${broken}` }] };
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
