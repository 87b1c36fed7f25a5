/** Why a file was not searched. Every skip is reported: nothing is left out silently. */
export type SkipReason = 'binary' | 'unreadable' | 'missing' | 'not-a-file' | 'line-too-long' | 'symlink';

export interface GrepSkip {
  /** Path as displayed (relative to cwd, or as given). */
  readonly file: string;
  readonly reason: SkipReason;
  /** Why, for people: e.g. `NUL byte at offset 1234`, `EACCES: permission denied`. */
  readonly detail: string;
}

/** Why a hit does not count against the gate. */
export interface AllowedBy {
  readonly by: 'glob' | 'marker';
  /** The glob that matched, or the marker text. */
  readonly rule: string;
  readonly reason?: string;
}

export interface GrepHit {
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
  /** 1-based byte column of the first match on the line (as `rg --column`). */
  readonly column: number;
  /** The line without its line terminator. */
  readonly text: string;
  readonly allowed?: AllowedBy;
}

/** Everything one search of one file found. */
export interface FileResult {
  readonly file: string;
  readonly hits: GrepHit[];
  readonly skip?: GrepSkip;
  readonly bytes: number;
  /** The errno code when the file could not be opened or read (ENOENT, ELOOP, EISDIR…). */
  readonly errorCode?: string;
  /** A binary file searched up to its first NUL byte (past rg's first buffer): counted as searched. */
  readonly searchedPart?: boolean;
}

/** The result of `grepFiles`: hits that count, hits that were allowed, and files not searched. */
export interface GrepReport {
  readonly pattern: string;
  readonly paths: readonly string[];
  /** Hits that count against the gate (not allowed). */
  readonly hits: readonly GrepHit[];
  /** Hits allowed by a glob or an inline marker, reported separately. */
  readonly allowed: readonly GrepHit[];
  readonly skipped: readonly GrepSkip[];
  readonly filesSearched: number;
  readonly bytesSearched: number;
  /** Search threads used: the calling thread plus `threads - 1` workers (1 = the calling thread alone). */
  readonly threads: number;
  readonly notes: readonly string[];
}
