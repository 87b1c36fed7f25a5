import type { DataConfig } from '../runbook/schema.js';

/** What the data library needs from its caller. It never reaches for `process`. */
export interface DataContext {
  /** Base for every relative path in the `data:` block: the runbook's directory. */
  readonly baseDir: string;
  readonly config: DataConfig;
  /** Resolved database URL (expressions already expanded) for postgres/mysql. */
  readonly databaseUrl?: string;
  /** Environment for child processes (PATH decides which pg_dump runs). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal: AbortSignal;
  /** Default: () => new Date(). */
  readonly clock: () => Date;
  /** Progress lines for people. */
  readonly log: (line: string) => void;
}

/** UTC timestamp usable in file names: `20261121T004950Z`. */
export function stampOf(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}
