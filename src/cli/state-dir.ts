import { dirname, join, resolve } from 'node:path';
import type { OpenedArtifactStore } from '../store/open-artifact-store.js';
import type { StateStore } from '../store/state-store.js';
import { DEFAULT_RUNBOOK } from './command.js';
import type { CliIO } from './io.js';

/** The flags every command that touches state shares. */
export interface StateDirOptions {
  /** `--state DIR`. */
  readonly state?: string;
  /** The runbook file the command was given (default `./shipgate.yml`). */
  readonly file?: string;
}

/**
 * Where state lives, for every command alike: `--state DIR`, else `SHIPGATE_STATE_DIR`, else
 * `.shipgate/` beside the runbook file (default `./shipgate.yml`). Relative paths resolve
 * against the CLI's cwd. Returns an absolute path.
 */
export function resolveStateDir(io: Pick<CliIO, 'cwd' | 'env'>, opts: StateDirOptions = {}): string {
  if (opts.state) return resolve(io.cwd, opts.state);
  const fromEnv = io.env.SHIPGATE_STATE_DIR;
  if (fromEnv) return resolve(io.cwd, fromEnv);
  return join(dirname(resolve(io.cwd, opts.file ?? DEFAULT_RUNBOOK)), '.shipgate');
}

/**
 * Opens the state store for a command: Postgres when `SHIPGATE_DATABASE_URL` is set, else
 * SQLite in resolveStateDir(). `create: false` (read-only commands such as `evidence`) fails
 * with SG_STATE_MISSING instead of creating an empty store. Default: create.
 */
export async function openStoreForCli(io: Pick<CliIO, 'cwd' | 'env'>, opts: StateDirOptions & { create?: boolean } = {}): Promise<StateStore> {
  const { openStore } = await import('../store/open-store.js');
  const databaseUrl = io.env.SHIPGATE_DATABASE_URL || undefined;
  return openStore({
    stateDir: resolveStateDir(io, opts),
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(opts.create === undefined ? {} : { create: opts.create }),
  });
}

/**
 * Opens the artifact store that goes with openStoreForCli(): `<stateDir>/artifacts`, and in team
 * mode (`SHIPGATE_DATABASE_URL`) a copy of each artifact in the shared database so that other
 * machines can verify and export it. Close it (or `await using`) when done.
 */
export async function openArtifactsForCli(io: Pick<CliIO, 'cwd' | 'env'>, opts: StateDirOptions = {}): Promise<OpenedArtifactStore> {
  const { openArtifactStore } = await import('../store/open-artifact-store.js');
  const databaseUrl = io.env.SHIPGATE_DATABASE_URL || undefined;
  return openArtifactStore({ stateDir: resolveStateDir(io, opts), ...(databaseUrl ? { databaseUrl } : {}) });
}
