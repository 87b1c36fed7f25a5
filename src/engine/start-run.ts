import { createRunTempDirs, removeOwnTempDirs, tempRootsOf } from './run-temp-dirs.js';
import { stepsReadingRelease } from '../plan/release-reads.js';
import { refuseUnpassableGates } from './unpassable-gates.js';
import { fingerprintReadEnv } from './env-fingerprint.js';
import { secretName } from './environment.js';
import { hostname } from 'node:os';
import type { Actor } from '../core/actor.js';
import type { RunId } from '../core/brand.js';
import { canonicalJson, sha256Hex } from '../core/canonical-json.js';
import { UserError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { Redactor } from '../core/redact.js';
import type { Plan } from '../plan/plan.js';
import type { LoadedRunbook } from '../runbook/loaded-runbook.js';
import type { ArtifactStore } from '../store/artifact-store.js';
import type { LockHolder } from '../store/records.js';
import type { StateStore } from '../store/state-store.js';
import { driveRun, type ManualPrompter, type RunOutcome } from './drive-run.js';
import type { ResolvedEnvironment } from './environment.js';
import type { RunSubscriber } from './events.js';
import { persistEvents } from './persist.js';
import { Publisher } from './publisher.js';
import { newRunId } from './run-id.js';
import type { StepRuntime } from './step-runtime.js';

/** Everything a run needs from the outside world, passed in (the library never reads `process`). */
export interface RunDeps {
  readonly loaded: LoadedRunbook;
  readonly environment: ResolvedEnvironment;
  readonly store: StateStore;
  readonly artifacts: ArtifactStore;
  readonly stateDir: string;
  readonly actor: Actor;
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  /** Display subscribers (terminal, NDJSON); persistence is added by the engine, first. */
  readonly subscribers: readonly RunSubscriber[];
  readonly signal: AbortSignal;
  readonly clock: () => Date;
  readonly pid: number;
  readonly prompt?: ManualPrompter;
  /** Is a process group (a step's, from a crashed run) still running on this host? */
  readonly isProcessGroupAlive?: (pgid: number) => boolean;
  /** Is a process (a run's previous driver) still running on this host? */
  readonly isProcessAlive?: (pid: number) => boolean;
}

export interface RunHandle {
  readonly runId: RunId;
  readonly outcome: RunOutcome;
}

/** Starts a run of `plan`: takes the environment lock, records the run, and drives it. */
export async function startRun(deps: RunDeps, given: Plan): Promise<RunHandle> {
  const declared = (deps.loaded.runbook.environments[given.environment]?.secrets ?? []).map(secretName);
  const envFingerprint = fingerprintReadEnv(given, deps.processEnv, declared);
  const plan: Plan = envFingerprint ? { ...given, envFingerprint } : given;
  if (plan.release === null) {
    // Rollback steps too: a rollback within this run reads the same (empty) release.
    const readers = stepsReadingRelease([...plan.steps, ...plan.rollback]);
    if (readers.length > 0) {
      throw new UserError(
        'SG_RELEASE_REQUIRED',
        `${readers.length > 1 ? `steps ${readers.join(', ')} use` : `step ${readers[0]} uses`} \${{ release.version }}, and no release was given (--release): it would be empty; nothing was run`,
        plan.purpose === 'rollback'
          ? `shipgate rollback ${plan.runbook.path} --env ${plan.environment} --reason "…" --release <version>   (the release being rolled back, e.g. --release 1.4.0)`
          : `shipgate run ${plan.runbook.path} --env ${plan.environment} --release <version>   (e.g. --release 1.4.0)`,
      );
    }
  }
  refuseUnpassableGates(plan, deps.actor);
  const at = deps.clock();
  const runId = newRunId(at);
  const holder: LockHolder = { environment: plan.environment, runId, actor: deps.actor, since: at.toISOString(), pid: deps.pid, host: hostname() };
  const lock = await deps.store.acquireLock(holder);
  if (!lock.acquired) throw lockedError(plan.environment, lock.holder);
  try {
    await deps.store.createRun({
      id: runId,
      runbookName: plan.runbook.name,
      runbookPath: plan.runbook.path,
      runbookDigest: plan.runbook.digest,
      environment: plan.environment,
      release: plan.release,
      status: 'running',
      actor: deps.actor,
      planJson: JSON.stringify(plan),
      startedAt: at.toISOString(),
      updatedAt: at.toISOString(),
      endedAt: null,
      pid: deps.pid,
      host: hostname(),
    });
  } catch (e) {
    await deps.store.releaseLock(plan.environment, runId);
    throw e;
  }
  return withRuntime(deps, plan, runId, async (rt) => {
    await rt.publisher.publish({
      kind: 'run-started', at: at.toISOString(), run: runId, runbook: plan.runbook, environment: plan.environment,
      release: plan.release, actor: deps.actor, planDigest: sha256Hex(canonicalJson(plan)), steps: plan.steps.length,
      ...(plan.reason !== undefined ? { reason: plan.reason } : {}),
      tempRoots: tempRootsOf(rt),
    });
    return driveRun(rt, deps.store, deps.prompt);
  });
}

/**
 * Builds the per-run runtime (redactor, publisher, temp dir), runs `body`, and releases what it
 * took in reverse order. The lock is kept while the run waits or was interrupted: a release
 * half-done must be resumed or cancelled before another can start.
 */
export async function withRuntime(deps: RunDeps, plan: Plan, runId: RunId, body: (rt: StepRuntime) => Promise<RunOutcome>): Promise<RunHandle> {
  const redactor = new Redactor().add(...Object.values(deps.environment.secrets));
  const dirs = await createRunTempDirs(runId, deps.processEnv);
  const { tmpDir, scriptDir } = dirs;
  try {
    const rt: StepRuntime = {
      runId, plan, loaded: deps.loaded, environment: deps.environment, processEnv: deps.processEnv, actor: deps.actor,
      stateDir: deps.stateDir, artifacts: deps.artifacts, store: deps.store, redactor, signal: deps.signal, clock: deps.clock,
      publisher: new Publisher(redactor, persistEvents(deps.store, deps.actor), deps.subscribers),
      stepResults: new Map(), tmpDir, scriptDir,
    };
    const outcome = await body(rt).catch(async (e: unknown) => {
      // A step that ended before the error did end: its held record is written before the store
      // closes (publishSoon). If that write fails too, the original error is the one reported.
      await rt.publisher.flush().catch(() => undefined);
      throw e;
    });
    if (outcome.status !== 'waiting' && outcome.status !== 'interrupted') await deps.store.releaseLock(plan.environment, runId);
    return { runId, outcome };
  } finally {
    removeOwnTempDirs(dirs);
  }
}

export function lockedError(environment: string, holder: LockHolder): UserError {
  return new UserError(
    'SG_ENV_LOCKED',
    `environment ${environment} is locked by run ${holder.runId} (started ${holder.since} by ${holder.actor.id}${holder.pid ? `, pid ${holder.pid} on ${holder.host}` : ''})`,
    `see it with: shipgate status ${holder.runId} — then resume it (shipgate resume ${holder.runId}) or cancel it (shipgate cancel ${holder.runId} --reason "…")`,
    ExitCode.Locked,
    { holder },
  );
}
