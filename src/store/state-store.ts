import type { RunId, StepId } from '../core/brand.js';
import type { LedgerDraft, LedgerEntry } from '../ledger/entry.js';
import type { ApprovalRecord, LockHolder, RunRecord, RunStatus, StepRecord } from './records.js';

/**
 * The repository seam over the state database (STYLE.md: kysely's Dialect). The engine, the CLI
 * and the actions talk only to this interface; SQLite (default, `.shipgate/state.db`, WAL) and
 * Postgres (`SHIPGATE_DATABASE_URL`) implement it, and the same tests run against both.
 *
 * Every method persists before it resolves: the engine relies on that for crash safety.
 */
export interface StateStore extends AsyncDisposable {
  readonly dialect: 'sqlite' | 'postgres';

  createRun(run: RunRecord): Promise<void>;
  getRun(id: RunId): Promise<RunRecord | undefined>;
  /** Newest first. */
  listRuns(filter?: { environment?: string; limit?: number }): Promise<RunRecord[]>;
  updateRun(id: RunId, patch: RunPatch): Promise<void>;

  saveStep(step: StepRecord): Promise<void>;
  getSteps(runId: RunId): Promise<StepRecord[]>;

  addApproval(a: ApprovalRecord): Promise<void>;
  listApprovals(runId: RunId, stepId?: StepId): Promise<ApprovalRecord[]>;

  /**
   * Takes the environment's lock for a run. Atomic: of two concurrent callers exactly one wins.
   * The same run may re-acquire its own lock (resume). With `takeover`, re-acquiring is a
   * compare-and-set: it succeeds only while the lock still names that previous pid and host, so
   * of two processes resuming the same run at once exactly one drives it.
   */
  acquireLock(
    holder: LockHolder,
    opts?: { takeover?: { pid: number | null; host: string | null } },
  ): Promise<{ acquired: true } | { acquired: false; holder: LockHolder }>;
  releaseLock(environment: string, runId: RunId): Promise<void>;
  getLock(environment: string): Promise<LockHolder | undefined>;

  /** Appends to the hash chain atomically (assigns seq, prev, hash). */
  appendLedger(draft: LedgerDraft): Promise<LedgerEntry>;
  /**
   * Applies `project`'s writes (the rows that describe the run now) and appends `draft` to the
   * chain in one transaction: after a crash the tables and the ledger never disagree about an
   * event, and the engine pays one commit per transition instead of two.
   */
  record(draft: LedgerDraft, project: (w: ProjectionWriter) => Promise<void>): Promise<LedgerEntry>;
  /** `record` for several events in order, in one transaction: all of them, or none. */
  recordAll(events: ReadonlyArray<RecordedEvent>): Promise<LedgerEntry[]>;
  /** Entries in seq order; filtered by run and/or kind when given. */
  readLedger(filter?: { run?: RunId; kind?: string; fromSeq?: number }): Promise<LedgerEntry[]>;

  close(): Promise<void>;
}

export type RunPatch = Partial<Pick<RunRecord, 'status' | 'endedAt' | 'pid' | 'host'>> & { updatedAt: string };

/** One event for `recordAll`: its ledger entry and its projection. */
export interface RecordedEvent {
  readonly draft: LedgerDraft;
  readonly project: (w: ProjectionWriter) => Promise<void>;
}

/** The writes an event's projection may make inside `record`'s transaction. */
export type ProjectionWriter = Pick<StateStore, 'getRun' | 'updateRun' | 'saveStep'>;

export type { RunStatus };
