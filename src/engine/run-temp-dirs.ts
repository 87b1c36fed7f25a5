import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RunId } from '../core/brand.js';
import type { StateStore } from '../store/state-store.js';
import { memoryTempRoot } from './memory-temp-root.js';

/** A run's two private directories (both 0700, named after the run). */
export interface RunTempDirs {
  /** Step logs before they become artifacts (on disk: logs can be large). */
  readonly tmpDir: string;
  /** Step scripts and $SHIPGATE_OUTPUT files, in memory where possible (memory-temp-root.ts). */
  readonly scriptDir: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const prefix = (runId: RunId) => `shipgate-${runId}-`;

/** Makes the directories for one drive of a run. */
export async function createRunTempDirs(runId: RunId, env: Env): Promise<RunTempDirs> {
  const tmpDir = await mkdtemp(join(tmpdir(), prefix(runId)));
  const scriptDir = await mkdtemp(join(memoryTempRoot(env), prefix(runId))).catch(() => tmpDir);
  return { tmpDir, scriptDir };
}

/**
 * The folders a drive's directories are in, recorded with `run-started`/`run-resumed`: a later
 * resume or cancel may run with another TMPDIR or XDG_RUNTIME_DIR, and must still find them.
 */
export function tempRootsOf(dirs: RunTempDirs): TempRoots {
  return { host: hostname(), paths: [...new Set([dirname(dirs.tmpDir), dirname(dirs.scriptDir)])] };
}

/** Where one drive kept its temp dirs, and on which host (a path means nothing elsewhere). */
export interface TempRoots {
  readonly host: string;
  readonly paths: readonly string[];
}

/**
 * The temp roots that drives of a run on THIS host recorded in the ledger (none for runs recorded
 * before): a root another host recorded may be a shared mount where that host's live driver
 * still works.
 */
export async function recordedTempRoots(store: StateStore, runId: RunId): Promise<string[]> {
  const roots = new Set<string>();
  for (const kind of ['run-started', 'run-resumed']) {
    for (const e of await store.readLedger({ run: runId, kind })) {
      const recorded = (e.data as { tempRoots?: Partial<TempRoots> } | null)?.tempRoots;
      if (recorded?.host !== hostname() || !Array.isArray(recorded.paths)) continue;
      for (const r of recorded.paths) if (typeof r === 'string') roots.add(r);
    }
  }
  return [...roots];
}

/**
 * Removes this drive's directories at its end. Best effort: the run's outcome matters more.
 * Synchronously: the promise form sends each file's stat and unlink through the thread pool, and
 * for a run of 200 steps (a script file each) that was a visible part of the run's last
 * milliseconds (bench/engine/overhead.mjs); nothing else waits on the event loop by now.
 */
export function removeOwnTempDirs(dirs: RunTempDirs): void {
  for (const d of new Set([dirs.tmpDir, dirs.scriptDir])) {
    try {
      rmSync(d, { recursive: true, force: true });
    } catch {
      // Not removable (permissions, a file held open on Windows): leave it.
    }
  }
}

/**
 * Removes every directory of this run that this user made on this host (any drive's): what a
 * driver killed with -9 left (its `finally` never ran), which on a memory file system would hold
 * RAM (and the step scripts, with the values expanded into them) until the next reboot. Looks in
 * this process's temp roots and in `recorded` (recordedTempRoots: where earlier drives were).
 * Called where such leftovers can exist — by resume once it holds the lock, by cancel — not at a
 * fresh start, whose run id is new. Only directories owned by the current user: the temp roots
 * are shared, and a name there (the run id is visible in them) proves nothing — another user's
 * directory is neither ours to delete nor a reason to fail. Best effort: a directory that cannot
 * be removed is left, not an error.
 */
export async function removeRunTempDirs(runId: RunId, env: Env, recorded: readonly string[] = []): Promise<void> {
  const uid = process.getuid?.();
  for (const root of new Set([tmpdir(), memoryTempRoot(env), ...recorded])) {
    let names: string[];
    try {
      names = readdirSync(root);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.startsWith(prefix(runId))) continue;
      const path = join(root, name);
      try {
        const st = lstatSync(path);
        if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
        await rm(path, { recursive: true, force: true });
      } catch {
        // Gone meanwhile, or not removable (permissions, a file held open on Windows): leave it.
      }
    }
  }
}
