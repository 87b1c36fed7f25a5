import type { RunId, Sha256Hex, StepId } from '../core/brand.js';
import type { Expect, Manual } from '../runbook/schema.js';

/**
 * The Plan: exactly what `shipgate run` executes, and what `shipgate plan --json` prints.
 * Built by the pure `planRun` (src/plan/plan-run.ts); immutable; JSON-serializable.
 * Expressions (`${{ }}`) are kept unexpanded: they are evaluated when the step starts, because
 * they may read outputs of steps that ran before.
 */
export interface Plan {
  readonly version: 1;
  readonly runbook: { readonly name: string; readonly path: string; readonly digest: Sha256Hex };
  readonly environment: string;
  readonly release: string | null;
  /** Forward steps in a stable topological order (phase order, then `needs`, ties by step id). */
  readonly steps: readonly PlannedStep[];
  /** Steps run when a `rollback-on-failure` phase fails, in order. */
  readonly rollback: readonly PlannedStep[];
  /** Maximum steps running at once. */
  readonly concurrency: number;
  /**
   * Role members, frozen when the run starts: approvals are checked against these, so editing
   * the runbook mid-run cannot add an approver to a waiting release.
   */
  readonly roles: Readonly<Record<string, readonly string[]>>;
  /**
   * `shipgate rollback` only: the run being rolled back (its release is the rollback's), and the
   * outputs of its forward steps that the rollback steps read (`steps.backup.outputs.id`), frozen
   * here so a resumed rollback reads the same values.
   */
  readonly priorRun?: PriorRun;
  /** Fingerprints of the `env.NAME` values the expressions read at start (src/engine/env-fingerprint.ts). */
  readonly envFingerprint?: EnvFingerprint;
  /** `rollback` for the plan of `shipgate rollback` (its steps are the runbook's rollback steps). */
  readonly purpose?: 'rollback';
  /** `shipgate rollback` only: why, as given with --reason (recorded with the run's start). */
  readonly reason?: string;
}

/** A salted scrypt hash of each name's value at start; null when it was unset or empty. */
export interface EnvFingerprint {
  readonly salt: string;
  readonly names: Readonly<Record<string, string | null>>;
}

/** Finished forward steps of an earlier run, as `${{ steps.ID.… }}` reads them. */
export interface PriorRun {
  readonly id: RunId;
  readonly startedAt: string;
  /** The release that run deployed (`--release`): what a standalone rollback rolls back. */
  readonly release: string | null;
  readonly steps: Readonly<Record<string, { readonly outputs: Readonly<Record<string, string>>; readonly status: string }>>;
}

export type StepKind = 'run' | 'uses' | 'manual';

export interface PlannedStep {
  readonly id: StepId;
  readonly name: string;
  readonly phase: string;
  /** Position in `Plan.steps` (or `Plan.rollback`), 0-based. */
  readonly index: number;
  readonly kind: StepKind;
  /** Resolved dependencies: explicit `needs`, else the previous step in the phase; plus every step of earlier phases (transitively). */
  readonly needs: readonly StepId[];
  readonly if: string | null;
  readonly run: string | null;
  /** `bash`, `sh`, `pwsh`, `powershell`, or a template containing `{0}`. */
  readonly shell: string;
  /** Absolute working directory. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly uses: string | null;
  readonly with: Readonly<Record<string, unknown>>;
  readonly timeoutMs: number;
  readonly retries: { readonly count: number; readonly delayMs: number; readonly maxDelayMs: number };
  readonly continueOnError: boolean;
  readonly idempotent: boolean;
  readonly expect: Expect | null;
  readonly manual: Manual | null;
  /** The phase has `rollback-on-failure: true`. */
  readonly rollbackOnFailure: boolean;
}

/** What the planner is given besides the runbook. */
export interface PlanInput {
  readonly environment: string;
  readonly release?: string | null;
  /** Default concurrency when the runbook sets none (the CLI passes the CPU count). */
  readonly cpus: number;
}

export type { RunId };
