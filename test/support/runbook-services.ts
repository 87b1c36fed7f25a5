import { spawnSync } from 'node:child_process';

/**
 * Tools the runbook tests need. bash runs the shell-quoting property tests (values must survive
 * a REAL shell). Absent: the test skips with a one-line reason, except under CI, where it must
 * fail instead (CI skips nothing).
 */
export const bashAvailable = spawnSync('bash', ['-c', 'exit 0']).status === 0;

/** True when a test needing `tool` should skip here (and says why once); throws under CI. */
export function skipWithout(tool: string, available: boolean): boolean {
  if (available) return false;
  if (process.env.CI) throw new Error(`${tool} is required under CI but is not available`);
  console.warn(`skipping: ${tool} is not available on this machine`);
  return true;
}
