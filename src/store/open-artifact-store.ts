import type { ArtifactStore } from './artifact-store.js';
import { FileArtifactStore } from './file-artifact-store.js';

/** An artifact store that is also released when done (a no-op for the local one). */
export type OpenedArtifactStore = ArtifactStore & AsyncDisposable & { close(): Promise<void> };

/**
 * The artifact store that goes with the state store: local files under `<stateDir>/artifacts`,
 * plus — when `databaseUrl` names Postgres (team mode) — a copy of every artifact in the shared
 * database, so other machines can verify and export it.
 */
export async function openArtifactStore(opts: { stateDir: string; databaseUrl?: string; clock?: () => Date }): Promise<OpenedArtifactStore> {
  const local = new FileArtifactStore({ stateDir: opts.stateDir, ...(opts.clock ? { clock: opts.clock } : {}) });
  if (!opts.databaseUrl) {
    const close = async () => undefined;
    return Object.assign(local, { close, [Symbol.asyncDispose]: close });
  }
  const [{ openPostgres }, { SharedArtifactStore }] = await Promise.all([
    import('./postgres/open-postgres.js'),
    import('./shared-artifact-store.js'),
  ]);
  return new SharedArtifactStore(local, await openPostgres({ databaseUrl: opts.databaseUrl }));
}
