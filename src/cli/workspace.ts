import { isUserError, UserError } from '../core/errors.js';
import type { ArtifactStore } from '../store/artifact-store.js';
import type { StateStore } from '../store/state-store.js';
import { StoreErrorCode } from '../store/store-errors.js';
import type { CliIO } from './io.js';
import { openArtifactsForCli, openStoreForCli, resolveStateDir, type StateDirOptions } from './state-dir.js';

/** The state a command works on: the store and the artifact files, released together (LIFO). */
export interface Workspace extends AsyncDisposable {
  readonly stateDir: string;
  readonly store: StateStore;
  readonly artifacts: ArtifactStore;
}

/**
 * Opens the store (SQLite under the state dir, or SHIPGATE_DATABASE_URL) and the artifact store
 * that goes with it (in team mode artifacts are copied into the shared database too).
 */
export async function openWorkspace(io: CliIO, opts: StateDirOptions & { create?: boolean }): Promise<Workspace> {
  const stateDir = resolveStateDir(io, opts);
  const store = await openStoreForCli(io, opts);
  try {
    const artifacts = await openArtifactsForCli(io, opts);
    return {
      stateDir,
      store,
      artifacts,
      [Symbol.asyncDispose]: async () => {
        await artifacts[Symbol.asyncDispose]?.();
        await store.close();
      },
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}

/**
 * For commands about runs that already exist (status, approve, reject, resume, cancel): where no
 * state exists there is no such run, so say that (SG_RUN_NOT_FOUND, as for an unknown id) and
 * create nothing — a mistyped directory must not be left holding an empty `.shipgate/`.
 */
export async function openExistingWorkspace(io: CliIO, opts: StateDirOptions, runId: string | undefined): Promise<Workspace> {
  try {
    return await openWorkspace(io, { ...opts, create: false });
  } catch (e) {
    if (!isUserError(e) || e.code !== StoreErrorCode.Missing) throw e;
    const where = resolveStateDir(io, opts);
    throw new UserError(
      StoreErrorCode.RunNotFound,
      `${runId ? `no run ${runId}` : 'no runs yet'}: no shipgate state in ${where} (nothing has run here)`,
      'run it where the runbook lives, pass --state DIR (or SHIPGATE_STATE_DIR) naming the state of an earlier run, or start one: shipgate run --env NAME',
      e.exitCode,
      { stateDir: where, ...(runId ? { run: runId } : {}) },
    );
  }
}
