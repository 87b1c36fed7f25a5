import { execFileSync } from 'node:child_process';

function has(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Tools the audit tests need. Absent → the test skips with a visible reason, or FAILS under CI. */
export const audit = {
  git: has('git', ['--version']),
  rg: has('rg', ['--version']),
  /** Run a child as `nobody` (we are root here, so chmod 000 alone proves nothing). */
  runuser: process.getuid?.() === 0 && has('runuser', ['--help']),
};

/** For it.skipIf: true when the tool is missing and we are not in CI (in CI the test runs and fails). */
export function missing(name: keyof typeof audit): boolean {
  if (audit[name]) return false;
  if (process.env.CI) return false;
  console.warn(`[audit tests] skipping: ${name} is not available on this machine`);
  return true;
}
