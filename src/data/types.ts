import type { Sha256Hex } from '../core/brand.js';
import type { CheckRecord } from '../actions/action.js';

/** One file in a backup, as recorded in `manifest.json`. */
export interface ManifestEntry {
  /** Path relative to the backup directory, `/`-separated, never absolute, never `..`. */
  readonly path: string;
  /** `file` entries carry size and sha256; `symlink` entries carry the link text (never followed). */
  readonly type: 'file' | 'symlink';
  readonly size: number;
  readonly sha256?: Sha256Hex;
  readonly target?: string;
}

/** `manifest.json`: every entry in the backup's `data/` folder, sorted by path. */
export interface BackupManifest {
  readonly version: 1;
  readonly entries: readonly ManifestEntry[];
}

/** Rows per table, counted inside the backup's snapshot. */
export type RowCounts = Readonly<Record<string, number>>;

/** What a database adapter reports after dumping. */
export interface DumpInfo {
  readonly kind: 'sqlite' | 'postgres' | 'mysql';
  /** Tool that made the dump and its version, e.g. `pg_dump (PostgreSQL) 15.20`. */
  readonly tool: string;
  readonly toolVersion: string;
  readonly serverVersion: string;
  readonly rowCounts: RowCounts;
  /** How row counts were taken, for people reading metadata. */
  readonly countMethod: string;
  /** Relative path inside `data/` of the dump (file or directory). */
  readonly dumpPath: string;
}

/** `metadata.json`. */
export interface BackupMetadata {
  readonly version: 1;
  readonly id: string;
  readonly environment: string;
  /** ISO-8601 UTC. */
  readonly createdAt: string;
  readonly database: DumpInfo | null;
  /** Storage folders (relative to the runbook) copied under `data/files/`. */
  readonly storage: readonly string[];
  readonly runbookDigest: string | null;
  readonly gitCommit: string | null;
  /** Why this backup was made: `manual`, `safety-before-restore`, a step id… */
  readonly reason: string;
}

/** A backup on disk, as `list` shows it. */
export interface BackupRef {
  readonly id: string;
  readonly environment: string;
  readonly dir: string;
  readonly createdAt: string;
}

/** The verdict of `verifyBackup`. */
export interface VerificationReport {
  readonly backupId: string;
  readonly manifestDigest: Sha256Hex;
  readonly passed: boolean;
  readonly checks: readonly CheckRecord[];
}
