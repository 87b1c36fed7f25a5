import type { RunId } from '../core/brand.js';
import type { LedgerEntry } from './entry.js';

/**
 * The runs/steps tables are a projection of the ledger (engine/persist.ts writes both from the
 * same event). This module recomputes that projection from the ledger alone, so a table row
 * edited by hand (`update steps set status='passed'`) is caught instead of being reported.
 */
export interface LedgerRunStatus {
  /** The run's status per its entries; null when the ledger has no entry for the run. */
  readonly status: string | null;
  /** Step status by `section:stepId`, per its entries. */
  readonly steps: ReadonlyMap<string, { readonly stepId: string; readonly section: string; readonly status: string; readonly seq: number }>;
  /** The seq of the run's last run-level entry (run-started/-resumed/-waiting/-finished), 0 if none. */
  readonly lastRunSeq: number;
}

/** One disagreement between a table row and the ledger, in words for people. */
export interface StatusMismatch {
  readonly run: RunId;
  /** The step id, or null for the run row itself. */
  readonly step: string | null;
  readonly table: string;
  readonly ledger: string;
  /** The ledger entry that says so (0 when the ledger has none). */
  readonly seq: number;
  readonly message: string;
}

type Data = { status?: unknown; section?: unknown; rerun?: unknown };

/** Replays a run's entries (in seq order) into its run and step statuses, as persist.ts does. */
export function projectRunStatus(entries: readonly LedgerEntry[]): LedgerRunStatus {
  let status: string | null = null;
  let lastRunSeq = 0;
  const steps = new Map<string, { stepId: string; section: string; status: string; seq: number }>();
  const setStep = (e: LedgerEntry, st: string, section?: string) => {
    if (!e.step) return;
    const d = (e.data ?? {}) as Data;
    const sec = section ?? (typeof d.section === 'string' ? d.section : 'forward');
    steps.set(`${sec}:${e.step}`, { stepId: e.step, section: sec, status: st, seq: e.seq });
  };
  for (const e of entries) {
    const d = (e.data ?? {}) as Data;
    switch (e.kind) {
      case 'run-started':
        status = 'running';
        lastRunSeq = e.seq;
        break;
      case 'run-resumed':
        status = 'running';
        lastRunSeq = e.seq;
        // resume resets the cut-off steps it re-runs to pending (a table write without an entry).
        if (Array.isArray(d.rerun)) {
          for (const [key, s] of steps) if ((d.rerun as unknown[]).includes(s.stepId) && !isFinished(s.status)) steps.set(key, { ...s, status: 'pending', seq: e.seq });
        }
        break;
      case 'run-waiting':
        status = 'waiting';
        lastRunSeq = e.seq;
        break;
      case 'run-finished':
        status = typeof d.status === 'string' ? d.status : 'unknown';
        lastRunSeq = e.seq;
        break;
      case 'step-started':
        setStep(e, 'running');
        break;
      case 'step-waiting':
        setStep(e, 'waiting');
        break;
      case 'step-not-started': // interrupted before its command began: pending again
        setStep(e, 'pending');
        break;
      case 'step-finished':
        setStep(e, typeof d.status === 'string' ? d.status : 'unknown');
        break;
      default:
        break; // other kinds (approvals, spawn, retry, evidence) do not change a row
    }
  }
  return { status, steps, lastRunSeq };
}

function isFinished(status: string): boolean {
  return ['passed', 'failed', 'failed-continued', 'skipped', 'rejected'].includes(status);
}

/**
 * Compares a run's table rows with its ledger entries; [] when they agree. A step row still
 * `pending` with no entry makes no claim and is fine.
 */
export function compareRunWithLedger(
  run: { readonly id: RunId; readonly status: string },
  steps: ReadonlyArray<{ readonly stepId: string; readonly section: string; readonly status: string }>,
  entries: readonly LedgerEntry[],
): StatusMismatch[] {
  const p = projectRunStatus(entries);
  const out: StatusMismatch[] = [];
  if (p.status !== run.status) {
    out.push({ run: run.id, step: null, table: run.status, ledger: p.status ?? 'no entry', seq: p.lastRunSeq, message: `run ${run.id}: the table says ${run.status}, the ledger says ${p.status ?? 'nothing (no entries)'}${p.lastRunSeq ? ` (seq ${p.lastRunSeq})` : ''}` });
  }
  const seen = new Set<string>();
  for (const s of steps) {
    const key = `${s.section}:${s.stepId}`;
    seen.add(key);
    const l = p.steps.get(key);
    if (!l) {
      if (s.status !== 'pending') out.push({ run: run.id, step: s.stepId, table: s.status, ledger: 'no entry', seq: 0, message: `run ${run.id} step ${s.stepId}: the table says ${s.status}, the ledger has no entry for it` });
    } else if (l.status !== s.status) {
      out.push({ run: run.id, step: s.stepId, table: s.status, ledger: l.status, seq: l.seq, message: `run ${run.id} step ${s.stepId}: the table says ${s.status}, the ledger says ${l.status} (seq ${l.seq})` });
    }
  }
  for (const [key, l] of p.steps) {
    if (!seen.has(key)) out.push({ run: run.id, step: l.stepId, table: 'no row', ledger: l.status, seq: l.seq, message: `run ${run.id} step ${l.stepId}: the ledger says ${l.status} (seq ${l.seq}), the table has no row for it` });
  }
  return out;
}
