import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import type { Actor } from '../core/actor.js';

/**
 * Who is at the keyboard, as asserted: SHIPGATE_ACTOR, else git's user.email, else the OS user.
 * Recorded with *how* it was known, so the ledger never claims more certainty than it has.
 */
export function resolveActor(env: Readonly<Record<string, string | undefined>>, cwd: string): Actor {
  const fromEnv = env.SHIPGATE_ACTOR?.trim();
  if (fromEnv) return { id: fromEnv, via: 'asserted-env' };
  try {
    const email = execFileSync('git', ['config', 'user.email'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 }).trim();
    if (email) return { id: email, via: 'asserted-git' };
  } catch {
    // Not a git checkout, or no user.email: fall through to the OS user.
  }
  return { id: userInfo().username, via: 'asserted-os' };
}
