import type { Command } from 'commander';
import type { ExitCode } from '../core/exit-codes.js';
import type { CliIO } from './io.js';

/**
 * A command module registers its flags and help with commander (cheap, done at start-up) and
 * loads its implementation lazily inside the action, so `shipgate --version` stays fast.
 * The action returns the exit code; only bin/shipgate.js sets it on the process.
 */
export type RegisterCommand = (program: Command, io: CliIO, done: (code: ExitCode) => void) => void;

/** The default runbook file, for every command that reads one. */
export const DEFAULT_RUNBOOK = 'shipgate.yml';
