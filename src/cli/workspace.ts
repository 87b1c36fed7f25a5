import type { ArtifactStore } from '../store/artifact-store.js';
import type { StateStore } from '../store/state-store.js';
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
