import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { FileArtifactStore } from '../store/file-artifact-store.js';
import { openStore } from '../store/open-store.js';
import type { ArtifactStore } from '../store/artifact-store.js';
import type { StateStore } from '../store/state-store.js';
import { DEFAULT_RUNBOOK } from './command.js';
import type { CliIO } from './io.js';

export interface Workspace extends AsyncDisposable {
  readonly stateDir: string;
  readonly store: StateStore;
  readonly artifacts: ArtifactStore;
}

/**
 * The state directory: `--state DIR`, else SHIPGATE_STATE_DIR, else `.shipgate/` beside the
 * runbook (default ./shipgate.yml in the current directory).
 */
export function stateDirFor(io: CliIO, opts: { state?: string; file?: string }): string {
  if (opts.state) return resolve(io.cwd, opts.state);
  if (io.env.SHIPGATE_STATE_DIR) return resolve(io.cwd, io.env.SHIPGATE_STATE_DIR);
  return resolve(io.cwd, dirname(opts.file ?? DEFAULT_RUNBOOK), '.shipgate');
}

/** Opens the store (SQLite under the state dir, or SHIPGATE_DATABASE_URL) and the artifact store. */
export async function openWorkspace(io: CliIO, opts: { state?: string; file?: string }): Promise<Workspace> {
  const stateDir = stateDirFor(io, opts);
  await mkdir(stateDir, { recursive: true });
  const store = await openStore({ stateDir, ...(io.env.SHIPGATE_DATABASE_URL ? { databaseUrl: io.env.SHIPGATE_DATABASE_URL } : {}) });
  const artifacts = new FileArtifactStore(stateDir);
  return { stateDir, store, artifacts, [Symbol.asyncDispose]: () => store.close() };
}
