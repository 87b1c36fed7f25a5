import type { Redactor } from '../core/redact.js';
import type { Plan, PlannedStep } from '../plan/plan.js';
import { findExpressionReferences, findReferences } from '../runbook/expressions/references.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The values of the `env.NAME` variables the runbook's expressions read, as they are when the
 * run starts. A resumed run uses these, not the resuming shell's: a choice made on the command
 * line (`DISABLE_FLAGS=yes shipgate run …`) must still hold after a manual gate, when someone
 * else runs `shipgate resume` from another terminal.
 *
 * Not frozen (read live, as before): names declared as the environment's secrets, and any value
 * that contains a secret's value — the plan is stored, and secrets never are.
 */
export function freezeReadEnv(plan: Plan, processEnv: Env, secretNames: readonly string[], redactor: Redactor): Record<string, string | null> {
  const frozen: Record<string, string | null> = {};
  for (const name of envNamesRead([...plan.steps, ...plan.rollback])) {
    if (secretNames.includes(name)) continue;
    const value = processEnv[name];
    // Unset is a value too (null): a run started without DISABLE_FLAGS stays without it.
    if (value === undefined) frozen[name] = null;
    else if (redactor.redact(value) === value) frozen[name] = value;
  }
  return frozen;
}

/** The process environment a run's steps and expressions see: live, with the frozen names fixed. */
export function runEnvironment(processEnv: Env, plan: Plan): Env {
  if (!plan.env) return processEnv;
  const env: Record<string, string | undefined> = { ...processEnv };
  for (const [name, value] of Object.entries(plan.env)) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
  return env;
}

function envNamesRead(steps: readonly PlannedStep[]): Set<string> {
  const names = new Set<string>();
  const add = (refs: ReadonlyArray<{ root: string; path: string[] }>) => {
    for (const r of refs) if (r.root === 'env' && r.path[0]) names.add(r.path[0]);
  };
  const walk = (v: unknown): void => {
    if (typeof v === 'string') add(findReferences(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  for (const s of steps) {
    if (s.if) add(findExpressionReferences(s.if));
    walk([s.run, s.with, s.env, s.manual?.instructions, s.manual?.checklist]);
  }
  return names;
}
