import type { CheckRecord } from '../actions/action.js';
import type { DataContext } from './data-context.js';
import type { DumpInfo } from './types.js';

/** A restored copy that a rehearsal (or verification) works on. */
export interface ScratchDatabase {
  /** Human-readable location: a file path or a database name. */
  readonly location: string;
  /** Environment variables that hand the copy to the migration and smoke commands. */
  readonly env: Readonly<Record<string, string>>;
  /** Drops the scratch database / removes the file. Idempotent. */
  drop(): Promise<void>;
}

/** Schema snapshot: the digest of the schema text and the table list. */
export interface SchemaSnapshot {
  readonly digest: string;
  readonly tables: readonly string[];
}

/** See DatabaseAdapter.fingerprintLive. */
export interface LiveFingerprint {
  /** Where the live database is, for messages (never a password). */
  readonly location: string;
  readonly schema: string;
  readonly content: string | null;
}

/**
 * The seam per database kind (STYLE.md habit 6): one implementation per file
 * (sqlite-adapter.ts, postgres-adapter.ts, mysql-adapter.ts).
 */
export interface DatabaseAdapter {
  readonly kind: DumpInfo['kind'];
  /** Dumps the live database into `dumpDir` (created by the caller, empty) and counts rows in the same snapshot. */
  dump(dumpDir: string, ctx: DataContext): Promise<Omit<DumpInfo, 'dumpPath'>>;
  /** Restores the dump into a fresh scratch copy. `scratchDir` is used by file-based kinds. */
  restoreToScratch(dumpDir: string, info: DumpInfo, scratchDir: string, ctx: DataContext): Promise<ScratchDatabase>;
  /** Checks a restored copy against what was recorded at backup time. */
  checkRestored(scratch: ScratchDatabase, info: DumpInfo, ctx: DataContext): Promise<CheckRecord[]>;
  /** Schema of a restored copy (for rehearsal before/after). */
  describeSchema(scratch: ScratchDatabase, ctx: DataContext): Promise<SchemaSnapshot>;
  /**
   * Fingerprint of the LIVE database, taken before and after a rehearsal to prove the migration
   * command did not touch it. `schema` changes on DDL; `content` (when the kind can measure it
   * cheaply) changes on any write. `content` is null when not measured.
   */
  fingerprintLive(ctx: DataContext): Promise<LiveFingerprint>;
  /**
   * What a restore needs of its target that can be checked without changing it (its file exists;
   * its URL resolves; the tools are there and, for Postgres, not older than the server):
   * `restore` with `check-only` runs it while the app is up. `info` is the backup's dump (its tool
   * version tells whether the restore tool here can read it), `dumpPath` where it is.
   */
  checkRestoreTarget(ctx: DataContext, info: DumpInfo, dumpPath: string): Promise<void>;
  /** Fails with a clear error when the live database cannot be replaced now (missing, locked). */
  preflightRestore(ctx: DataContext): Promise<void>;
  /**
   * Restores the dump BESIDE the live database, changing nothing live, and returns how to swap it
   * in. A restore prepares every part (the database, each storage folder) before it swaps any.
   */
  prepareRestore(dumpDir: string, info: DumpInfo, ctx: DataContext): Promise<PreparedSwap>;
}

/** A restored copy waiting beside what it replaces. */
export interface PreparedSwap {
  /** Puts the copy in place of the live one; on failure the live one is as it was. */
  swap(): Promise<void>;
  /** Removes the copy (when another part failed, or this swap did). Safe to call twice. */
  discard(): Promise<void>;
}
