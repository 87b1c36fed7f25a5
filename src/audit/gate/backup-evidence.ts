import type { EvidenceLog } from '../../actions/action.js';
import { formatDuration } from '../../core/duration.js';
import { isUserError, UserError } from '../../core/errors.js';
import type { LedgerEntry } from '../../ledger/entry.js';
import { readEvidenceBundle, verifyBundle, type EvidenceBundle } from '../../ledger/verify-evidence-bundle.js';
import type { GateCondition } from './gate-condition.js';

/** The ledger kind that proves a backup was restored and checked. */
export const BACKUP_VERIFIED = 'backup-verified';

/**
 * Reads `DIR/` (a `shipgate evidence export`, committed with the PR) and verifies it as a whole
 * bundle (chain, recorded head, the run's run-started/run-finished, run.json/run.md consistent).
 * Returns the bundle, or why it does not hold. A chain that verifies is only SELF-consistent:
 * anyone can write one from genesis, so the caller must still anchor it to something trusted.
 */
export async function readEvidenceExport(dir: string): Promise<{ bundle: EvidenceBundle; broken?: string }> {
  let bundle: EvidenceBundle;
  try {
    bundle = await readEvidenceBundle(dir);
  } catch (e) {
    if (!isUserError(e)) throw e;
    throw new UserError('SG_GATE_BAD_EVIDENCE', `cannot read the evidence export ${dir}: ${e.message}`, 'export it with `shipgate evidence export RUN --out DIR` and commit the directory');
  }
  const verdict = await verifyBundle(bundle);
  return verdict.ok ? { bundle } : { bundle, broken: `seq ${verdict.seq}: ${verdict.reason}` };
}

export interface BackupEvidenceOptions {
  /** The live ledger, when the gate runs where the state store is. */
  readonly evidence?: EvidenceLog;
  /** An evidence export directory (ledger.json, run.json, run.md). */
  readonly exportDir?: string;
  /**
   * A ledger entry hash taken from a protected place (a CI variable only maintainers can set):
   * without the live ledger, only export entries up to the entry with this hash are trusted.
   */
  readonly trustedHead?: string;
  /** The environment the gate is about; a verification of another environment does not count. */
  readonly environment?: string;
  readonly maxAgeMs: number;
  readonly maxAge: string;
  readonly clock: () => Date;
}

const ID = 'backup-evidence';
const TITLE = 'Backup verification evidence';

/**
 * Backup verification evidence recent enough, from the live ledger or from an export that is
 * anchored to something trusted: the live ledger (every exported entry must be there with the
 * same hash) or `trustedHead`. An export alone is UNVERIFIABLE and does not meet the condition.
 * An entry counts only if its data names a backup id, says `passed: true` and has the gate's
 * environment.
 */
export async function checkBackupEvidence(opts: BackupEvidenceOptions): Promise<GateCondition> {
  const env = opts.environment;
  const expected = `a ${BACKUP_VERIFIED} entry (passed, naming a backup id${env ? `, environment ${env}` : ''}) newer than ${opts.maxAge}, from a trusted ledger`;
  const unmet = (measured: string, how: string, file?: string): GateCondition => ({
    id: ID, title: TITLE, status: 'unmet', expected, measured, how, ...(file ? { annotations: [{ file, message: measured }] } : {}),
  });
  if (!opts.exportDir && !opts.evidence) return { id: ID, title: TITLE, status: 'unmeasured', expected, measured: 'no ledger and no evidence export to read', how: 'pass --evidence DIR (a committed `shipgate evidence export`) with --trusted-head HASH, or run where the state store is' };
  if (!env) return { id: ID, title: TITLE, status: 'unmeasured', expected, measured: 'no environment to check the evidence against (the runbook has several and none is production)', how: 'pass --env NAME (the environment the release goes to)' };

  const candidates: { entry: LedgerEntry; from: string }[] = [];
  if (opts.exportDir) {
    const file = `${opts.exportDir}/ledger.json`;
    let read: Awaited<ReturnType<typeof readEvidenceExport>>;
    try {
      read = await readEvidenceExport(opts.exportDir);
    } catch (e) {
      // Listed with the other conditions (not a crash of the whole gate): the author fixes all at once.
      if (isUserError(e)) return unmet(e.message, e.hint ?? 'export the evidence again', file);
      throw e;
    }
    const { bundle, broken } = read;
    if (broken) return unmet(`${opts.exportDir} fails verification at ${broken}`, 'export the evidence again (`shipgate evidence export RUN --out DIR`) instead of editing it', file);
    const trusted = await trustedEntries(bundle, opts);
    if (!trusted.ok) return unmet(trusted.measured, trusted.how, file);
    for (const e of trusted.entries) if (e.kind === BACKUP_VERIFIED) candidates.push({ entry: e, from: `${file} seq ${e.seq}` });
  }
  if (opts.evidence) for (const e of await opts.evidence.find({ kind: BACKUP_VERIFIED })) candidates.push({ entry: e, from: `ledger seq ${e.seq}` });

  const rejected: string[] = [];
  const found = candidates.filter((c) => {
    const why = disqualify(c.entry, env);
    if (why) rejected.push(`${c.from}: ${why}`);
    return !why;
  });
  const newest = found.sort((a, b) => Date.parse(b.entry.at) - Date.parse(a.entry.at))[0];
  if (!newest) {
    const measured = rejected.length ? `no qualifying ${BACKUP_VERIFIED} entry (${rejected.slice(0, 3).join('; ')})` : `no ${BACKUP_VERIFIED} entry found`;
    return unmet(measured, `verify a backup of ${env} (\`shipgate backup verify\`), then export the evidence and commit it`);
  }
  const age = opts.clock().getTime() - Date.parse(newest.entry.at);
  const ok = age <= opts.maxAgeMs;
  const id = (newest.entry.data as { id: string }).id;
  const measured = `newest ${newest.entry.at} (${formatDuration(Math.max(0, age))} old, backup ${id}, ${newest.from})`;
  return ok ? { id: ID, title: TITLE, status: 'met', expected, measured } : unmet(measured, 'verify a fresh backup (`shipgate backup verify`) and commit the new evidence export');
}

/** Why a backup-verified entry does not count, or undefined when it does. */
function disqualify(e: LedgerEntry, env: string): string | undefined {
  const d = (e.data ?? {}) as { id?: unknown; environment?: unknown; passed?: unknown };
  if (typeof d.id !== 'string' || d.id === '') return 'names no backup id';
  if (d.passed !== true) return 'data.passed is not true';
  if (d.environment !== env) return `environment ${JSON.stringify(d.environment ?? null)} is not ${env}`;
  if (!Number.isFinite(Date.parse(e.at))) return `its time ${JSON.stringify(e.at)} is not a date`;
  return undefined;
}

type Trust = { ok: true; entries: readonly LedgerEntry[] } | { ok: false; measured: string; how: string };

/**
 * Which of an export's entries can be believed. With the live ledger: all, if each (and the
 * anchor) is in it with the same hash. Else with a trusted head: those up to that entry (the
 * chain links every earlier entry to it). Else none: UNVERIFIABLE.
 */
async function trustedEntries(bundle: EvidenceBundle, opts: BackupEvidenceOptions): Promise<Trust> {
  const { slice } = bundle;
  const dir = bundle.dir;
  if (opts.evidence) {
    const live = new Map((await opts.evidence.find({})).map((e) => [e.seq, e.hash]));
    for (const e of [...(slice.anchor ? [slice.anchor] : []), ...slice.entries]) {
      const hash = live.get(e.seq);
      if (hash !== e.hash) {
        return { ok: false, measured: `${dir} does not match the live ledger at seq ${e.seq} (${hash === undefined ? 'no such entry in the live ledger' : 'different hash'}): the export was not written from this ledger`, how: 'export the evidence from this ledger (`shipgate evidence export RUN --out DIR`) and commit it' };
      }
    }
    return { ok: true, entries: slice.entries };
  }
  if (opts.trustedHead) {
    const at = slice.entries.findIndex((e) => e.hash === opts.trustedHead);
    if (at < 0) {
      return { ok: false, measured: `UNVERIFIABLE: no entry of ${dir} has the trusted head ${opts.trustedHead.slice(0, 12)}…`, how: 'export the evidence again and record its head (printed by `shipgate evidence export`) where --trusted-head comes from' };
    }
    return { ok: true, entries: slice.entries.slice(0, at + 1) };
  }
  return {
    ok: false,
    measured: `UNVERIFIABLE: ${dir} verifies only against itself (a chain anchored at genesis can be written by anyone) and there is no live ledger or trusted head to compare it with`,
    how: 'pass --trusted-head HASH (the head printed by `shipgate evidence export`, kept in a protected CI variable), or run the gate where the state store is',
  };
}
