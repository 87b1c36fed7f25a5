import type { CheckRecord } from '../actions/action.js';
import type { Actor } from '../core/actor.js';
import type { RunId, Sha256Hex, StepId } from '../core/brand.js';
import type { ApprovalRecord, RunStatus } from '../store/records.js';
import type { TempRoots } from './run-temp-dirs.js';

/**
 * The one stream everything subscribes to (STYLE.md habit 4): the store projection, the ledger,
 * the terminal, NDJSON and (later) the dashboard. A closed union keyed by `kind`; a new kind
 * does not compile until every consumer's exhaustive switch handles it.
 *
 * Events are redacted by the engine before they are published.
 */
export type RunEvent =
  | RunStarted
  | RunResumed
  | StepStarted
  | StepSpawned
  | StepOutput
  | StepRetrying
  | StepFinished
  | StepNotStarted
  | StepWaiting
  | ApprovalRecorded
  | RollbackStarted
  | RunWaiting
  | RunFinished;

interface Base {
  readonly at: string;
  readonly run: RunId;
}

/** `forward` steps come from phases; `rollback` steps from the runbook's `rollback:`. */
export type Section = 'forward' | 'rollback';

export interface RunStarted extends Base {
  readonly kind: 'run-started';
  readonly runbook: { readonly name: string; readonly path: string; readonly digest: Sha256Hex };
  readonly environment: string;
  readonly release: string | null;
  readonly actor: Actor;
  /** sha256 of the canonical plan JSON. */
  readonly planDigest: Sha256Hex;
  readonly steps: number;
  /** `shipgate rollback` only: why (--reason). */
  readonly reason?: string;
  /** Where this drive keeps its temp dirs (run-temp-dirs.ts), so a later cancel finds them. */
  readonly tempRoots?: TempRoots;
}

export interface RunResumed extends Base {
  readonly kind: 'run-resumed';
  readonly actor: Actor;
  /** The process now driving the run, and its host (a team's run may be resumed elsewhere). */
  readonly pid: number;
  readonly host: string;
  readonly rerun: readonly StepId[];
  readonly skip: ReadonlyArray<{ readonly step: StepId; readonly reason: string }>;
  /** Where this drive keeps its temp dirs (run-temp-dirs.ts). */
  readonly tempRoots?: TempRoots;
}

export interface StepStarted extends Base {
  readonly kind: 'step-started';
  readonly step: StepId;
  readonly section: Section;
  readonly name: string;
  readonly attempt: number;
}

/**
 * A step's process started, in its own process group. Recorded so that `resume` after a crash
 * can tell whether that group is still running (a second migration must not start beside it).
 * For a shell with a start gate it is committed with `step-started`, before the script runs.
 */
export interface StepSpawned extends Base {
  readonly kind: 'step-spawned';
  readonly step: StepId;
  readonly attempt: number;
  readonly pid: number;
  readonly host: string;
}

/** One line of a step's output. Not written to the ledger (the whole log is an artifact). */
export interface StepOutput extends Base {
  readonly kind: 'step-output';
  readonly step: StepId;
  readonly stream: 'stdout' | 'stderr';
  readonly line: string;
}

export interface StepRetrying extends Base {
  readonly kind: 'step-retrying';
  readonly step: StepId;
  readonly section: Section;
  readonly attempt: number;
  readonly delayMs: number;
  readonly reason: string;
}

export type StepConclusion = 'passed' | 'failed' | 'failed-continued' | 'skipped' | 'rejected' | 'interrupted';

export interface StepFinished extends Base {
  readonly kind: 'step-finished';
  readonly step: StepId;
  readonly section: Section;
  readonly status: StepConclusion;
  readonly attempt: number;
  readonly exitCode: number | null;
  readonly durationMs: number;
  /** What was measured and, on failure, why. */
  readonly summary: string;
  readonly outputs: Readonly<Record<string, string>>;
  readonly checks: readonly CheckRecord[];
  /** sha256 of the step's log artifact, when it produced output. */
  readonly logSha256: Sha256Hex | null;
  readonly artifacts: ReadonlyArray<{ readonly name: string; readonly sha256: Sha256Hex }>;
  readonly data: Readonly<Record<string, unknown>> | null;
}

/**
 * The run was interrupted after a step's start was recorded but before its command could begin:
 * the shell still waited at its start gate, which was closed unopened (process/shell-command.ts).
 * Nothing of the step ran, so it is pending again and `resume` runs it without asking.
 */
export interface StepNotStarted extends Base {
  readonly kind: 'step-not-started';
  readonly step: StepId;
  readonly section: Section;
  readonly attempt: number;
  readonly summary: string;
  /** sha256 of its log artifact (the shell's "start gate closed" line), when there was output. */
  readonly logSha256: Sha256Hex | null;
}

export interface StepWaiting extends Base {
  readonly kind: 'step-waiting';
  readonly step: StepId;
  readonly section: Section;
  readonly role: string;
  readonly approvals: number;
  readonly selfApproval: boolean;
  readonly checklist: readonly string[];
  readonly instructions: string | null;
  /** Why it waits: a manual step, or an action whose result was inconclusive. */
  readonly reason: string;
  /** For an inconclusive action: what it measured, so the ledger holds the evidence people decide on. */
  readonly checks?: readonly CheckRecord[];
  readonly artifacts?: ReadonlyArray<{ readonly name: string; readonly sha256: Sha256Hex }>;
  readonly data?: Readonly<Record<string, unknown>> | null;
}

export interface ApprovalRecorded extends Base {
  readonly kind: 'approval-recorded';
  readonly step: StepId;
  readonly approval: ApprovalRecord;
  /** Approvals still needed after this one (0 = quorum reached). */
  readonly remaining: number;
}

export interface RollbackStarted extends Base {
  readonly kind: 'rollback-started';
  readonly failedStep: StepId;
  readonly reason: string;
}

export interface RunWaiting extends Base {
  readonly kind: 'run-waiting';
  readonly steps: readonly StepId[];
}

export interface RunFinished extends Base {
  readonly kind: 'run-finished';
  readonly status: Exclude<RunStatus, 'running' | 'waiting'>;
  readonly durationMs: number;
  readonly summary: string;
}

/** A consumer of the stream. Awaited in order: the store and ledger persist before the next step. */
export type RunSubscriber = (event: RunEvent) => void | Promise<void>;
