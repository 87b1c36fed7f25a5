import { asArray, asRecord, asString } from './rules/rule.js';
import type { DataPath } from './yaml-locate.js';

/** A step as written (not yet schema-checked), with where it sits. */
export interface StepEntry {
  readonly id: string | undefined;
  readonly path: DataPath;
  readonly raw: Readonly<Record<string, unknown>>;
  /** Index of its phase, or `rollback`. */
  readonly group: number | 'rollback';
  /** Position inside its phase (or the rollback list). */
  readonly index: number;
}

/**
 * Which steps are certain to have finished before a step starts, from the rules of DESIGN.md §3:
 *
 *   phase 0: a ─▶ b ─▶ c        every step of phase 0 before any of phase 1;
 *   phase 1: d ─▶ e             inside a phase, a step needs the previous one
 *            f (needs: [d])     unless it declares `needs`.
 *
 * Rollback steps run after a failure anywhere, so no main step is certain to have run; they may
 * still READ main steps' outputs (null when the step did not run), which is what they are for.
 */
export class StepGraph {
  /** First declaration of each id (duplicates are reported by their own rule). */
  readonly byId = new Map<string, StepEntry>();
  private readonly groups = new Map<number | 'rollback', StepEntry[]>();

  constructor(readonly steps: readonly StepEntry[]) {
    for (const s of steps) {
      if (s.id !== undefined && !this.byId.has(s.id)) this.byId.set(s.id, s);
      const g = this.groups.get(s.group) ?? [];
      g.push(s);
      this.groups.set(s.group, g);
    }
  }

  /** The direct dependencies inside the step's own group: its valid `needs`, else the previous step. */
  localDeps(step: StepEntry): StepEntry[] {
    const needs = step.raw.needs;
    if (Array.isArray(needs)) {
      return needs.flatMap((n) => {
        const target = typeof n === 'string' ? this.byId.get(n) : undefined;
        return target && target.group === step.group ? [target] : [];
      });
    }
    const prev = this.groups.get(step.group)?.[step.index - 1];
    return prev ? [prev] : [];
  }

  /** Ids certain to have finished before `step` starts (see the class comment). */
  before(step: StepEntry): Set<string> {
    const out = new Set<string>();
    if (typeof step.group === 'number') {
      for (const s of this.steps) if (typeof s.group === 'number' && s.group < step.group && s.id) out.add(s.id);
    }
    const seen = new Set<StepEntry>([step]);
    const stack = this.localDeps(step);
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (seen.has(s)) continue;
      seen.add(s);
      if (s.id) out.add(s.id);
      stack.push(...this.localDeps(s));
    }
    return out;
  }

  /** Ids a step may read outputs of: those before it, and for rollback steps every main step. */
  readable(step: StepEntry): Set<string> {
    const out = this.before(step);
    if (step.group === 'rollback') for (const s of this.steps) if (s.group !== 'rollback' && s.id) out.add(s.id);
    return out;
  }

  group(g: number | 'rollback'): readonly StepEntry[] {
    return this.groups.get(g) ?? [];
  }
}

/** Lists every step of the phases and of `rollback`, however malformed the rest is. */
export function collectSteps(data: Record<string, unknown>): StepEntry[] {
  const out: StepEntry[] = [];
  asArray(data.phases).forEach((phase, p) => {
    asArray(asRecord(phase)?.steps).forEach((step, i) => {
      const raw = asRecord(step);
      if (raw) out.push({ id: asString(raw.id), path: ['phases', p, 'steps', i], raw, group: p, index: i });
    });
  });
  asArray(asRecord(data.rollback)?.steps).forEach((step, i) => {
    const raw = asRecord(step);
    if (raw) out.push({ id: asString(raw.id), path: ['rollback', 'steps', i], raw, group: 'rollback', index: i });
  });
  return out;
}
