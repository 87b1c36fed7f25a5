import type { RunId, StepId } from '../core/brand.js';
import { GENESIS_HASH, type LedgerDraft, type LedgerEntry } from '../ledger/entry.js';
import { prepareEntry } from '../ledger/hash-entry.js';
import type { Dialect, SqlExecutor } from './dialect.js';
import type { ApprovalRecord, LockHolder, RunRecord, StepRecord } from './records.js';
import {
  toApproval,
  toEntry,
  toLock,
  toRun,
  toStep,
  type ApprovalRow,
  type LedgerRow,
  type LockRow,
  type RunRow,
  type StepRow,
} from './rows.js';
import type { ProjectionWriter, RecordedEvent, RunPatch, StateStore } from './state-store.js';
import { runNotFound } from './store-errors.js';

const LEDGER_LOCK = 'ledger';
const ENV_LOCK = 'env-locks';
const RUN_COLUMNS =
  'id, runbook_name, runbook_path, runbook_digest, environment, release, status, actor_json, plan_json, started_at, updated_at, ended_at, pid, host';
const STEP_COLUMNS = 'run_id, section, step_id, status, attempt, started_at, ended_at, exit_code, summary, outputs_json, log_sha256';
const LEDGER_COLUMNS = 'seq, at, run_id, step_id, kind, actor_json, data_json, prev, hash';

/**
 * The repository, written once over the Dialect seam. It persists what it is given and holds no
 * engine logic; each method has committed before its promise resolves.
 */
export class SqlStateStore implements StateStore {
  constructor(private readonly db: Dialect) {}

  get dialect(): 'sqlite' | 'postgres' {
    return this.db.name;
  }

  async createRun(run: RunRecord): Promise<void> {
    await this.db.run(`INSERT INTO runs (${RUN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      run.id,
      run.runbookName,
      run.runbookPath,
      run.runbookDigest,
      run.environment,
      run.release,
      run.status,
      JSON.stringify(run.actor),
      run.planJson,
      run.startedAt,
      run.updatedAt,
      run.endedAt,
      run.pid,
      run.host,
    ]);
  }

  getRun(id: RunId): Promise<RunRecord | undefined> {
    return getRunWith(this.db, id);
  }

  async listRuns(filter: { environment?: string; limit?: number } = {}): Promise<RunRecord[]> {
    const where = filter.environment === undefined ? '' : 'WHERE environment = ?';
    const params: unknown[] = filter.environment === undefined ? [] : [filter.environment];
    const limit = filter.limit === undefined || !Number.isFinite(filter.limit) ? '' : `LIMIT ${Math.max(0, Math.floor(filter.limit))}`;
    const rows = await this.db.all<RunRow>(`SELECT ${RUN_COLUMNS} FROM runs ${where} ORDER BY started_at DESC, id DESC ${limit}`, params);
    return rows.map(toRun);
  }

  updateRun(id: RunId, patch: RunPatch): Promise<void> {
    return updateRunWith(this.db, id, patch);
  }

  saveStep(step: StepRecord): Promise<void> {
    return saveStepWith(this.db, step);
  }

  async getSteps(runId: RunId): Promise<StepRecord[]> {
    const rows = await this.db.all<StepRow>(`SELECT ${STEP_COLUMNS} FROM steps WHERE run_id = ? ORDER BY ord, section, step_id`, [runId]);
    return rows.map(toStep);
  }

  async addApproval(a: ApprovalRecord): Promise<void> {
    await this.db.run(
      'INSERT INTO approvals (run_id, step_id, actor_json, decision, note, items_json, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [a.runId, a.stepId, JSON.stringify(a.actor), a.decision, a.note, JSON.stringify(a.items), a.at],
    );
  }

  async listApprovals(runId: RunId, stepId?: StepId): Promise<ApprovalRecord[]> {
    const byStep = stepId === undefined ? '' : 'AND step_id = ?';
    const rows = await this.db.all<ApprovalRow>(
      `SELECT run_id, step_id, actor_json, decision, note, items_json, at FROM approvals WHERE run_id = ? ${byStep} ORDER BY id`,
      stepId === undefined ? [runId] : [runId, stepId],
    );
    return rows.map(toApproval);
  }

  acquireLock(
    holder: LockHolder,
    opts: { takeover?: { pid: number | null; host: string | null } } = {},
  ): Promise<{ acquired: true } | { acquired: false; holder: LockHolder }> {
    return this.db.writeTransaction(ENV_LOCK, async (tx) => {
      const inserted = await tx.run(
        `INSERT INTO locks (environment, run_id, actor_json, since, pid, host) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (environment) DO NOTHING`,
        [holder.environment, holder.runId, JSON.stringify(holder.actor), holder.since, holder.pid, holder.host],
      );
      if (inserted === 1) return { acquired: true as const };
      const current = await readLock(tx, holder.environment);
      if (current && current.runId !== holder.runId) return { acquired: false as const, holder: current };
      // Re-entrant: the same run takes its lock again on resume, possibly from a new process.
      if (!opts.takeover) {
        await tx.run('UPDATE locks SET pid = ?, host = ? WHERE environment = ? AND run_id = ?', [holder.pid, holder.host, holder.environment, holder.runId]);
        return { acquired: true as const };
      }
      // Compare-and-set on the previous holder (COALESCE: null-safe equality in both dialects).
      const moved = await tx.run(
        `UPDATE locks SET pid = ?, host = ? WHERE environment = ? AND run_id = ? AND COALESCE(pid, -1) = ? AND COALESCE(host, '') = ?`,
        [holder.pid, holder.host, holder.environment, holder.runId, opts.takeover.pid ?? -1, opts.takeover.host ?? ''],
      );
      if (moved === 1) return { acquired: true as const };
      return { acquired: false as const, holder: (await readLock(tx, holder.environment)) ?? current! };
    });
  }

  async releaseLock(environment: string, runId: RunId): Promise<void> {
    // Only the holder's release counts: a late release by a finished run cannot free a lock
    // that another run has taken since.
    await this.db.writeTransaction(ENV_LOCK, (tx) => tx.run('DELETE FROM locks WHERE environment = ? AND run_id = ?', [environment, runId]));
  }

  getLock(environment: string): Promise<LockHolder | undefined> {
    return readLock(this.db, environment);
  }

  appendLedger(draft: LedgerDraft): Promise<LedgerEntry> {
    return this.db.writeTransaction(LEDGER_LOCK, (tx) => appendLedgerWith(tx, draft));
  }

  async record(draft: LedgerDraft, project: (w: ProjectionWriter) => Promise<void>): Promise<LedgerEntry> {
    return (await this.recordAll([{ draft, project }]))[0]!;
  }

  recordAll(events: ReadonlyArray<RecordedEvent>): Promise<LedgerEntry[]> {
    return this.db.writeTransaction(LEDGER_LOCK, async (tx) => {
      const writer: ProjectionWriter = {
        getRun: (id) => getRunWith(tx, id),
        updateRun: (id, patch) => updateRunWith(tx, id, patch),
        saveStep: (step) => saveStepWith(tx, step),
      };
      const entries: LedgerEntry[] = [];
      for (const { draft, project } of events) {
        await project(writer);
        entries.push(await appendLedgerWith(tx, draft));
      }
      return entries;
    });
  }

  async readLedger(filter: { run?: RunId; kind?: string; fromSeq?: number } = {}): Promise<LedgerEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.run !== undefined) where.push('run_id = ?'), params.push(filter.run);
    if (filter.kind !== undefined) where.push('kind = ?'), params.push(filter.kind);
    if (filter.fromSeq !== undefined) where.push('seq >= ?'), params.push(filter.fromSeq);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const rows = await this.db.all<LedgerRow>(`SELECT ${LEDGER_COLUMNS} FROM ledger ${clause} ORDER BY seq`, params);
    return rows.map(toEntry);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

async function readLock(db: SqlExecutor, environment: string): Promise<LockHolder | undefined> {
  const rows = await db.all<LockRow>('SELECT environment, run_id, actor_json, since, pid, host FROM locks WHERE environment = ?', [environment]);
  return rows[0] && toLock(rows[0]);
}

async function getRunWith(db: SqlExecutor, id: RunId): Promise<RunRecord | undefined> {
  const rows = await db.all<RunRow>(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = ?`, [id]);
  return rows[0] && toRun(rows[0]);
}

async function updateRunWith(db: SqlExecutor, id: RunId, patch: RunPatch): Promise<void> {
  const sets: string[] = ['updated_at = ?'];
  const params: unknown[] = [patch.updatedAt];
  // `in` rather than !== undefined: `endedAt: null` is a value (a resumed run is no longer ended).
  if ('status' in patch) sets.push('status = ?'), params.push(patch.status);
  if ('endedAt' in patch) sets.push('ended_at = ?'), params.push(patch.endedAt);
  if ('pid' in patch) sets.push('pid = ?'), params.push(patch.pid);
  if ('host' in patch) sets.push('host = ?'), params.push(patch.host);
  const changed = await db.run(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
  if (changed === 0) throw runNotFound(id);
}

async function saveStepWith(db: SqlExecutor, step: StepRecord): Promise<void> {
  // `ord` keeps the order in which steps were first saved, so reports list them as they ran.
  await db.run(
    `INSERT INTO steps (${STEP_COLUMNS}, ord)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(ord), 0) + 1 FROM steps WHERE run_id = ?))
     ON CONFLICT (run_id, section, step_id) DO UPDATE SET
       status = excluded.status, attempt = excluded.attempt, started_at = excluded.started_at,
       ended_at = excluded.ended_at, exit_code = excluded.exit_code, summary = excluded.summary,
       outputs_json = excluded.outputs_json, log_sha256 = excluded.log_sha256`,
    [
      step.runId,
      step.section,
      step.stepId,
      step.status,
      step.attempt,
      step.startedAt,
      step.endedAt,
      step.exitCode,
      step.summary,
      JSON.stringify(step.outputs),
      step.logSha256,
      step.runId,
    ],
  );
}

/** Must run inside the ledger's write transaction: reads the head, then appends after it. */
async function appendLedgerWith(tx: SqlExecutor, draft: LedgerDraft): Promise<LedgerEntry> {
  const heads = await tx.all<{ seq: number | string; hash: string }>('SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1');
  const head = heads[0] ? { seq: Number(heads[0].seq), hash: heads[0].hash as LedgerEntry['hash'] } : { seq: 0, hash: GENESIS_HASH };
  const { entry, dataJson } = prepareEntry(draft, head);
  await tx.run(`INSERT INTO ledger (${LEDGER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
    entry.seq,
    entry.at,
    entry.run,
    entry.step,
    entry.kind,
    JSON.stringify(entry.actor),
    dataJson,
    entry.prev,
    entry.hash,
  ]);
  return entry;
}
