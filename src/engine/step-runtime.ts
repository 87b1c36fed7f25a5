import type { Actor } from '../core/actor.js';
import type { RunId } from '../core/brand.js';
import type { Redactor } from '../core/redact.js';
import type { Plan } from '../plan/plan.js';
import type { LoadedRunbook } from '../runbook/loaded-runbook.js';
import type { ArtifactStore } from '../store/artifact-store.js';
import type { StateStore } from '../store/state-store.js';
import type { ResolvedEnvironment } from './environment.js';
import type { Publisher } from './publisher.js';

/** What every step of one run shares. Built once per run by the driver. */
export interface StepRuntime {
  readonly runId: RunId;
  readonly plan: Plan;
  readonly loaded: LoadedRunbook;
  readonly environment: ResolvedEnvironment;
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  readonly actor: Actor;
  readonly stateDir: string;
  readonly artifacts: ArtifactStore;
  readonly store: StateStore;
  readonly redactor: Redactor;
  readonly publisher: Publisher;
  readonly signal: AbortSignal;
  readonly clock: () => Date;
  /** Finished steps' outputs and statuses, for `${{ steps.ID.… }}`. */
  readonly stepResults: Map<string, { outputs: Record<string, string>; status: string }>;
  /** A private temp dir for step logs before they become artifacts; removed when the run ends. */
  readonly tmpDir: string;
  /** A private dir for step scripts and output files, in memory where possible (memory-temp-root.ts). */
  readonly scriptDir: string;
}
