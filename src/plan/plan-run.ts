import { resolve } from 'node:path';
import { asStepId, type StepId } from '../core/brand.js';
import { parseDuration } from '../core/duration.js';
import type { LoadedRunbook } from '../runbook/loaded-runbook.js';
import type { RunbookStep } from '../runbook/schema.js';
import type { Plan, PlanInput, PlannedStep, StepKind } from './plan.js';

/** Default step timeout: long enough for a migration, short enough that a hung script is noticed. */
export const DEFAULT_TIMEOUT_MS = 30 * 60_000;
const DEFAULT_RETRY_DELAY_MS = 1000;
const DEFAULT_RETRY_MAX_DELAY_MS = 30_000;

/**
 * Builds the Plan (pure: no IO). The runbook has already been validated, so unknown `needs` and
 * cycles cannot occur here; if they do, that is a bug and we throw.
 *
 * Ordering: phases run in order (every step of a phase needs every step of the phases before
 * it); inside a phase a step needs the step before it unless it declares `needs`. The resulting
 * DAG is sorted with Kahn's algorithm, picking among ready steps by (phase, step id), so the
 * plan is stable: the same runbook always gives the same order.
 */
export function planRun(loaded: LoadedRunbook, input: PlanInput): Plan {
  const rb = loaded.runbook;
  if (!(input.environment in rb.environments)) {
    throw new Error(`planRun: unknown environment ${input.environment} (validate first)`);
  }
  const defaults = rb.defaults ?? {};
  const toPlanned = (s: RunbookStep, phase: string, rollbackOnFailure: boolean, needs: StepId[]): Omit<PlannedStep, 'index'> => ({
    id: asStepId(s.id),
    name: s.name ?? s.id,
    phase,
    kind: stepKind(s),
    needs,
    if: s.if ?? null,
    run: s.run ?? null,
    shell: s.shell ?? defaults.shell ?? 'bash',
    cwd: resolve(loaded.dir, s.cwd ?? defaults.cwd ?? '.'),
    env: s.env ?? {},
    uses: s.uses ?? null,
    with: s.with ?? {},
    timeoutMs: durationMs(s.timeout ?? defaults.timeout, DEFAULT_TIMEOUT_MS),
    retries: retriesOf(s),
    continueOnError: s['continue-on-error'] ?? false,
    idempotent: s.idempotent ?? false,
    expect: s.expect ?? null,
    manual: s.manual ?? null,
    rollbackOnFailure,
  });

  const steps: Array<Omit<PlannedStep, 'index'>> = [];
  // Phase barrier: each step also needs the previous phase's sinks (steps nothing else in that
  // phase needs). Every step of a phase reaches one of its sinks, so this is transitively the
  // same as needing every earlier step, and keeps `plan --json` short.
  let barrier: StepId[] = [];
  for (const phase of rb.phases) {
    const planned = phase.steps.map((s, i) => {
      const own = s.needs !== undefined ? s.needs.map(asStepId) : i > 0 ? [asStepId(phase.steps[i - 1]!.id)] : [];
      const needs = [...new Set([...barrier, ...own])].sort();
      return toPlanned(s, phase.id, phase['rollback-on-failure'], needs);
    });
    steps.push(...planned);
    const needed = new Set(planned.flatMap((p) => p.needs));
    barrier = planned.filter((p) => !needed.has(p.id)).map((p) => p.id);
  }

  const phaseIndex = new Map(rb.phases.map((p, i) => [p.id, i]));
  const ordered = topoSort(steps, (s) => `${String(phaseIndex.get(s.phase)).padStart(4, '0')}\u0000${s.id}`);
  const rollback = (rb.rollback?.steps ?? []).map((s, i, all) =>
    toPlanned(s, 'rollback', false, s.needs !== undefined ? s.needs.map(asStepId) : i > 0 ? [asStepId(all[i - 1]!.id)] : []),
  );

  return {
    version: 1,
    runbook: { name: rb.name, path: loaded.path, digest: loaded.digest },
    environment: input.environment,
    release: input.release ?? null,
    steps: ordered.map((s, index) => ({ ...s, index })),
    rollback: topoSort(rollback, (s) => s.id).map((s, index) => ({ ...s, index })),
    concurrency: rb.concurrency ?? Math.max(1, input.cpus),
    roles: Object.fromEntries(Object.entries(rb.roles).map(([name, r]) => [name, [...r.members]])),
  };
}

function stepKind(s: RunbookStep): StepKind {
  if (s.manual) return 'manual';
  if (s.uses) return 'uses';
  return 'run';
}

/** Node's timers overflow above 2^31-1 ms (~24.8 days) and fire at once: clamp to that. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

function durationMs(v: string | number | undefined, fallback: number): number {
  return Math.min(v === undefined ? fallback : (parseDuration(v) ?? fallback), MAX_TIMER_MS);
}

function retriesOf(s: RunbookStep): PlannedStep['retries'] {
  const r = s.retries;
  if (r === undefined) return { count: 0, delayMs: DEFAULT_RETRY_DELAY_MS, maxDelayMs: DEFAULT_RETRY_MAX_DELAY_MS };
  if (typeof r === 'number') return { count: r, delayMs: DEFAULT_RETRY_DELAY_MS, maxDelayMs: DEFAULT_RETRY_MAX_DELAY_MS };
  return {
    count: r.count,
    delayMs: durationMs(r.delay, DEFAULT_RETRY_DELAY_MS),
    maxDelayMs: durationMs(r['max-delay'], DEFAULT_RETRY_MAX_DELAY_MS),
  };
}

/**
 * Kahn's algorithm with in-degree counts; among ready nodes the smallest key goes first (kept
 * sorted by binary insertion, so the whole sort is O(n log n + e)). Throws on a cycle, which
 * validation has already ruled out.
 */
function topoSort<T extends { id: StepId; needs: readonly StepId[] }>(items: readonly T[], key: (t: T) => string): T[] {
  const byId = new Map(items.map((t) => [t.id, t]));
  const keys = new Map(items.map((t) => [t.id, key(t)]));
  const indegree = new Map<StepId, number>();
  const dependents = new Map<StepId, StepId[]>();
  for (const t of items) {
    const deps = [...new Set(t.needs.filter((n) => byId.has(n)))];
    indegree.set(t.id, deps.length);
    for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), t.id]);
  }
  const ready: StepId[] = [];
  const insert = (id: StepId) => {
    const k = keys.get(id)!;
    let lo = 0;
    let hi = ready.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys.get(ready[mid]!)! < k) lo = mid + 1;
      else hi = mid;
    }
    ready.splice(lo, 0, id);
  };
  for (const [id, n] of indegree) if (n === 0) insert(id);
  const out: T[] = [];
  while (ready.length > 0) {
    const id = ready.shift()!;
    out.push(byId.get(id)!);
    for (const d of dependents.get(id) ?? []) {
      const left = indegree.get(d)! - 1;
      indegree.set(d, left);
      if (left === 0) insert(d);
    }
  }
  if (out.length !== items.length) {
    const stuck = items.filter((t) => !out.includes(t)).map((t) => t.id);
    throw new Error(`planRun: dependency cycle among ${stuck.join(', ')}`);
  }
  return out;
}

/**
 * The plan of `shipgate rollback`: the runbook's `rollback:` steps as the forward steps of a run
 * of their own (recorded, locked and resumable like any run), with nothing to roll back to.
 */
export function planRollback(loaded: LoadedRunbook, input: PlanInput): Plan {
  const full = planRun(loaded, input);
  return { ...full, steps: full.rollback, rollback: [], purpose: 'rollback' };
}
