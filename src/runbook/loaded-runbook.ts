import type { Sha256Hex } from '../core/brand.js';
import type { SourcePos } from './diagnostic.js';
import type { Runbook } from './schema.js';

/**
 * A runbook that loaded and validated cleanly: the normalized model plus where it came from.
 * Produced by `loadRunbook` (src/runbook/load.ts); consumed by the planner and the engine.
 */
export interface LoadedRunbook {
  readonly runbook: Runbook;
  /** Absolute path of the file. */
  readonly path: string;
  /** Directory of the file: the base for relative paths (cwd, data, migrations). */
  readonly dir: string;
  /** sha256 of the file's bytes, recorded with every run. */
  readonly digest: Sha256Hex;
  /** Where a step is declared, for messages that point into the file. */
  stepPos(stepId: string): SourcePos | undefined;
}
