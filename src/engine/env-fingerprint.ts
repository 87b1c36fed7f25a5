import { randomBytes, scryptSync } from 'node:crypto';
import { UserError } from '../core/errors.js';
import type { EnvFingerprint, Plan } from '../plan/plan.js';
import { stepReads } from '../plan/step-reads.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Fingerprints of the `env.NAME` variables the runbook's expressions read, as they are when the
 * run starts: a salted scrypt hash per name (null = unset or empty), never the value — the plan is stored and
 * shown, and an undeclared credential (`${{ env.GITHUB_TOKEN }}`) must not land there.
 * `refuseChangedEnv` compares them on resume, so a choice made on the command line
 * (`DISABLE_FLAGS=yes shipgate run …`) cannot silently flip when someone else resumes from
 * another shell after a manual gate. Declared secrets are left out: they are read live.
 */
export function fingerprintReadEnv(plan: Plan, processEnv: Env, secretNames: readonly string[]): EnvFingerprint | undefined {
  const steps = [...plan.steps, ...plan.rollback];
  // A name a step sets in its own `env:` is the runbook's value, not the shell's.
  const setBySteps = new Set(steps.flatMap((s) => Object.keys(s.env)));
  const names = [...new Set(steps.flatMap((s) => stepReads(s).filter((r) => r.root === 'env' && r.path[0]).map((r) => r.path[0]!)))]
    .filter((n) => !secretNames.includes(n) && !setBySteps.has(n))
    .sort();
  if (names.length === 0) return undefined;
  const salt = randomBytes(16).toString('hex');
  return { salt, names: Object.fromEntries(names.map((n) => [n, digest(salt, processEnv[n])])) };
}

/** Refuses a resume whose shell gives a fingerprinted `env.NAME` another value than the run started with. */
export function refuseChangedEnv(plan: Plan, processEnv: Env, runId: string): void {
  const fp = plan.envFingerprint;
  if (!fp) return;
  const changed = Object.entries(fp.names).filter(([n, d]) => digest(fp.salt, processEnv[n]) !== d);
  if (changed.length === 0) return;
  const says = changed.map(([n, d]) => `${n} (${d === null ? 'unset when the run started, set now' : processEnv[n] === undefined ? 'set when the run started, unset now' : 'set to another value now'})`);
  throw new UserError(
    'SG_RESUME_ENV_CHANGED',
    `run ${runId}'s expressions read env ${says.join(', ')}; resuming with a different value could change what the run decides, mid-release`,
    `set ${changed.map(([n]) => n).join(', ')} as ${changed.length > 1 ? 'they were' : 'it was'} when the run started (only a salted hash is kept, so shipgate cannot tell you the value: ask whoever started it), then: shipgate resume ${runId}`,
  );
}

/**
 * scrypt, not a fast hash: the salt is stored beside the digest (the plan is shown by `status
 * --json`), so a guessable value read through an undeclared `env.DB_PASS` must cost a guesser
 * ~40 ms per try, not nanoseconds. Empty counts as unset, as expressions treat them alike.
 */
function digest(salt: string, value: string | undefined): string | null {
  return value === undefined || value === '' ? null : scryptSync(value, salt, 32, { N: 2 ** 14, r: 8, p: 1 }).toString('hex');
}
