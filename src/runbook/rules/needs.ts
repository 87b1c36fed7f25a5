import { suggestion } from '../did-you-mean.js';
import type { StepEntry } from '../step-graph.js';
import type { Rule, RuleContext } from './rule.js';

const groupName = (g: number | 'rollback', ctx: RuleContext) => (g === 'rollback' ? 'rollback' : `phase "${String((ctx.data.phases as { id?: unknown }[])[g]?.id ?? g)}"`);

/**
 * unknown-needs, needs-later-phase, needs-across-rollback, needs-cycle. Phases run in order, so
 * a step may need steps of its own or an earlier phase; rollback steps need rollback steps.
 */
export const needsRule: Rule = {
  name: 'needs',
  check(ctx) {
    const ids = [...ctx.graph.byId.keys()];
    for (const step of ctx.steps) {
      const needs = step.raw.needs;
      if (!Array.isArray(needs)) continue;
      needs.forEach((n, i) => {
        if (typeof n !== 'string') return; // the schema rule reports the type
        const path = [...step.path, 'needs', i];
        const target = ctx.graph.byId.get(n);
        if (!target) {
          ctx.report({ code: 'unknown-needs', path, message: `step "${step.id ?? '?'}" needs "${n}", which is not a step${suggestion(n, ids)}` });
        } else if ((target.group === 'rollback') !== (step.group === 'rollback')) {
          ctx.report({ code: 'needs-across-rollback', path, message: `step "${step.id ?? '?'}" (in ${groupName(step.group, ctx)}) needs "${n}" (in ${groupName(target.group, ctx)}); rollback steps and phase steps cannot need each other` });
        } else if (typeof target.group === 'number' && typeof step.group === 'number' && target.group > step.group) {
          ctx.report({ code: 'needs-later-phase', path, message: `step "${step.id ?? '?'}" (in ${groupName(step.group, ctx)}) needs "${n}" of the later ${groupName(target.group, ctx)}; phases run in order` });
        }
      });
    }
    reportCycles(ctx);
  },
};

/** Depth-first search per group over the local edges (declared needs, else the previous step). */
function reportCycles(ctx: RuleContext): void {
  const state = new Map<StepEntry, 'open' | 'done'>();
  const stack: StepEntry[] = [];
  const reported = new Set<string>();
  const visit = (s: StepEntry): void => {
    state.set(s, 'open');
    stack.push(s);
    for (const d of ctx.graph.localDeps(s)) {
      const st = state.get(d);
      if (st === 'open') {
        const cycle = stack.slice(stack.indexOf(d));
        const key = cycle.map((c) => c.id).sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          const names = [...cycle, d].map((c) => c.id ?? '?');
          const head = cycle[0]!;
          const implicit = head.raw.needs === undefined;
          ctx.report({
            code: 'needs-cycle',
            path: implicit ? [...head.path, 'id'] : [...head.path, 'needs'],
            at: implicit ? 'value' : 'key',
            message: `dependency cycle: ${names.join(' → ')}`,
            hint: 'a step without `needs` needs the step before it in its phase; break the cycle by changing one `needs`',
          });
        }
      } else if (st === undefined) {
        visit(d);
      }
    }
    stack.pop();
    state.set(s, 'done');
  };
  for (const s of ctx.steps) if (!state.has(s)) visit(s);
}
