import type { Actor } from '../core/actor.js';
import type { RunId, Sha256Hex, StepId } from '../core/brand.js';

/** Where a run stands. `waiting` = paused on a manual step; `interrupted` = the process stopped mid-run. */
export type RunStatus =
  | 'running'
  | 'waiting'
  | 'succeeded'
  | 'failed'
  | 'rolled-back'
  | 'rollback-failed'
  | 'interrupted'
  | 'cancelled';

/** Where a step stands. `failed-continued` = failed with `continue-on-error`. */
export type StepStatus =
  | 'pending'
  | 'running'
  | 'passed'
  | 'failed'
  | 'failed-continued'
  | 'skipped'
  | 'waiting'
  | 'rejected'
  | 'interrupted';

export const FINISHED_STEP: ReadonlySet<StepStatus> = new Set(['passed', 'failed', 'failed-continued', 'skipped', 'rejected']);
export const ACTIVE_RUN: ReadonlySet<RunStatus> = new Set(['running', 'waiting', 'interrupted']);

export interface RunRecord {
  readonly id: RunId;
  readonly runbookName: string;
  readonly runbookPath: string;
  readonly runbookDigest: Sha256Hex;
  readonly environment: string;
  readonly release: string | null;
  readonly status: RunStatus;
  readonly actor: Actor;
  /** The Plan as JSON: a resumed run executes the same plan it started with. */
  readonly planJson: string;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly endedAt: string | null;
  /** PID and host of the process driving the run, to tell a crashed run from a live one. */
  readonly pid: number | null;
  readonly host: string | null;
}

export interface StepRecord {
  readonly runId: RunId;
  readonly stepId: StepId;
  /** `forward` or `rollback`: rollback steps share ids with nothing else but are kept apart. */
  readonly section: 'forward' | 'rollback';
  readonly status: StepStatus;
  readonly attempt: number;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly exitCode: number | null;
  /** One line: why it failed / what it measured. */
  readonly summary: string | null;
  /** `KEY=value` outputs (redacted), as JSON object. */
  readonly outputs: Readonly<Record<string, string>>;
  /** sha256 of the step's log artifact. */
  readonly logSha256: Sha256Hex | null;
}

export interface ApprovalRecord {
  readonly runId: RunId;
  readonly stepId: StepId;
  readonly actor: Actor;
  readonly decision: 'approved' | 'rejected';
  readonly note: string | null;
  /** Checklist answers by 1-based item number. */
  readonly items: ReadonlyArray<{ readonly item: number; readonly text: string; readonly result: 'pass' | 'fail'; readonly note?: string }>;
  readonly at: string;
}

export interface LockHolder {
  readonly environment: string;
  readonly runId: RunId;
  readonly actor: Actor;
  readonly since: string;
  readonly pid: number | null;
  readonly host: string | null;
}
