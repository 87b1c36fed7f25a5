import { posAt, locate, type DataPath } from '../yaml-locate.js';
import { asArray, asRecord, asString, type Rule, type RuleContext } from './rule.js';

/** duplicate-step-id: ids are unique across all phases and rollback steps (and phase ids among phases). */
export const duplicateStepIdRule: Rule = {
  name: 'duplicate-step-id',
  check(ctx) {
    const first = new Map<string, DataPath>();
    for (const step of ctx.steps) {
      if (step.id === undefined) continue;
      const path = [...step.path, 'id'];
      const earlier = first.get(step.id);
      if (earlier) ctx.report({ code: 'duplicate-step-id', path, message: `duplicate step id "${step.id}" (first declared at line ${lineOf(ctx, earlier)}); step ids are unique across phases and rollback` });
      else first.set(step.id, path);
    }
    const phases = new Map<string, DataPath>();
    asArray(ctx.data.phases).forEach((p, i) => {
      const id = asString(asRecord(p)?.id);
      if (id === undefined) return;
      const path = ['phases', i, 'id'];
      const earlier = phases.get(id);
      if (earlier) ctx.report({ code: 'duplicate-phase-id', path, message: `duplicate phase id "${id}" (first declared at line ${lineOf(ctx, earlier)})` });
      else phases.set(id, path);
    });
  },
};

function lineOf(ctx: RuleContext, path: DataPath): number {
  const node = locate(ctx.doc, path).node;
  return node?.range ? posAt(ctx.lineCounter, node.range[0]).line : 0;
}
