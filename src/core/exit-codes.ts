/** The CLI's exit codes (DESIGN.md §6). Stable: scripts and CI depend on them. */
export const ExitCode = {
  /** Everything passed. */
  Success: 0,
  /** The run, check or verification failed. */
  Failed: 1,
  /** Invalid input: runbook, flags, arguments. */
  InvalidInput: 2,
  /** The run is waiting for an approval. */
  Waiting: 3,
  /** The environment is locked by another run. */
  Locked: 4,
  /** A merge gate's conditions are not met (`shipgate gate`). */
  GateNotMet: 5,
  /** Interrupted (Ctrl-C / SIGTERM). */
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
