import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunId } from '../core/brand.js';
import { memoryTempRoot } from './memory-temp-root.js';

/** A run's two private directories (both 0700, named after the run). */
export interface RunTempDirs {
  /** Step logs before they become artifacts (on disk: logs can be large). */
  readonly tmpDir: string;
  /** Step scripts and $SHIPGATE_OUTPUT files, in memory where possible (memory-temp-root.ts). */
  readonly scriptDir: string;
}

const prefix = (runId: RunId) => `shipgate-${runId}-`;

/**
 * Makes the directories for one drive of a run. Leftovers of an earlier driver of the same run
 * (killed with -9, so its `finally` never ran) are removed first: by now this process holds the
 * run's lock and resume has refused while any of that driver's steps was still alive, so nothing
 * uses them. On a memory file system they would otherwise hold RAM until the next reboot.
 */
export async function createRunTempDirs(runId: RunId, env: Readonly<Record<string, string | undefined>>): Promise<RunTempDirs> {
  await removeRunTempDirs(runId, env);
  const tmpDir = await mkdtemp(join(tmpdir(), prefix(runId)));
  const scriptDir = await mkdtemp(join(memoryTempRoot(env), prefix(runId))).catch(() => tmpDir);
  return { tmpDir, scriptDir };
}

/** Removes every directory this host made for the run (this drive's and any earlier one's). */
export async function removeRunTempDirs(runId: RunId, env: Readonly<Record<string, string | undefined>>): Promise<void> {
  for (const root of new Set([tmpdir(), memoryTempRoot(env)])) {
    let names: string[];
    try {
      names = readdirSync(root);
    } catch {
      continue;
    }
    for (const name of names) {
      if (name.startsWith(prefix(runId))) await rm(join(root, name), { recursive: true, force: true });
    }
  }
}
