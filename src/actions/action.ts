import type * as z from 'zod';
import type { Actor } from '../core/actor.js';
import type { CheckRecord } from '../core/check-record.js';
import type { RunId, StepId } from '../core/brand.js';
import type { LedgerEntry } from '../ledger/entry.js';
import type { LoadedRunbook } from '../runbook/loaded-runbook.js';
import type { ArtifactRef, ArtifactStore } from '../store/artifact-store.js';

/**
 * A built-in action (`uses: NAME`). Each is a thin adapter over a library module that the CLI
 * uses too (DESIGN.md §5). The definition is cheap to import; the implementation is loaded only
 * when a step runs, so `shipgate validate` and `--help` stay fast.
 */
export interface ActionDefinition<W extends z.ZodType = z.ZodType> {
  /** `family/name`, e.g. `check/http`; or a bare name such as `backup`. */
  readonly name: string;
  /** One line for `shipgate actions` and docs/reference.md. */
  readonly summary: string;
  /**
   * Schema of `with:`. At validate time, a string holding `${{ … }}` is accepted wherever it
   * appears; at run time, `with:` is validated again after expressions are expanded.
   */
  readonly with: W;
  readonly load: () => Promise<ActionImpl<z.output<W>>>;
}

export interface ActionImpl<W> {
  run(input: W, ctx: ActionContext): Promise<ActionOutcome>;
}

/** Helper that keeps the `with` type attached to `load` for implementers. */
export function defineAction<W extends z.ZodType>(def: ActionDefinition<W>): ActionDefinition<W> {
  return def;
}

/** What an action may use. It must not touch `process` directly (env, cwd, stdout). */
export interface ActionContext {
  readonly runbook: LoadedRunbook;
  readonly environment: string;
  readonly release: string | null;
  /** Null when the library is driven from a CLI command outside a run. */
  readonly runId: RunId | null;
  readonly stepId: StepId | null;
  /** Absolute working directory (the step's cwd, default the runbook's directory). */
  readonly cwd: string;
  /** The step's environment: process env + environment vars + secrets + step env. */
  readonly env: Readonly<Record<string, string>>;
  readonly vars: Readonly<Record<string, string>>;
  /** Secret values by name. Never print, store or return them: the engine redacts, but do not rely on it. */
  readonly secrets: Readonly<Record<string, string>>;
  /** Aborted on timeout or Ctrl-C: stop work and release resources promptly. */
  readonly signal: AbortSignal;
  readonly clock: () => Date;
  readonly actor: Actor;
  /** The state directory (`.shipgate/` beside the runbook unless --state). */
  readonly stateDir: string;
  /** A line for the step's log (redacted by the engine, kept as an artifact). */
  log(line: string): void;
  readonly artifacts: ArtifactStore;
  readonly evidence: EvidenceLog;
}

/** Ledger access for actions: record evidence, and find earlier evidence (e.g. "is backup X verified?"). */
export interface EvidenceLog {
  record(kind: string, data: unknown): Promise<LedgerEntry>;
  find(filter: { kind?: string; run?: RunId }): Promise<LedgerEntry[]>;
}

/** One measured check inside an action (defined in core: the check library uses it too). */
export type { CheckRecord } from '../core/check-record.js';

export interface ActionOutcome {
  /** `inconclusive` pauses the run for a person (like a manual step) instead of passing. */
  readonly status: 'passed' | 'failed' | 'inconclusive';
  /** One line: what was measured and, when failing, why. Never a bare "failed". */
  readonly summary: string;
  /** Available to later steps as `${{ steps.ID.outputs.KEY }}`. */
  readonly outputs?: Readonly<Record<string, string>>;
  readonly checks?: readonly CheckRecord[];
  readonly artifacts?: readonly ArtifactRef[];
  /** Structured evidence recorded in the ledger with the step's result. */
  readonly data?: Readonly<Record<string, unknown>>;
  /** For `inconclusive`: the role asked to decide. Default: the first role with members. */
  readonly decideRole?: string;
}
