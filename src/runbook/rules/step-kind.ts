import type { Rule } from './rule.js';

const KINDS = ['run', 'uses', 'manual'] as const;
/** Keys that only make sense with one kind of step. */
const ONLY_WITH: Readonly<Record<string, (typeof KINDS)[number]>> = { expect: 'run', shell: 'run', with: 'uses' };

/** step-kind: a step does exactly one thing (run, uses or manual); `expect`/`shell` go with run, `with` with uses. */
export const stepKindRule: Rule = {
  name: 'step-kind',
  check(ctx) {
    for (const step of ctx.steps) {
      const name = step.id ? `step "${step.id}"` : 'a step';
      const kinds = KINDS.filter((k) => step.raw[k] !== undefined);
      if (kinds.length === 0) {
        ctx.report({ code: 'step-kind', path: step.id ? [...step.path, 'id'] : step.path, message: `${name} has none of run, uses or manual; it needs exactly one` });
      } else if (kinds.length > 1) {
        ctx.report({ code: 'step-kind', path: [...step.path, kinds[1]!], at: 'key', message: `${name} has both ${kinds[0]} and ${kinds[1]}; a step does exactly one thing (split it into two steps)` });
      }
      for (const [key, kind] of Object.entries(ONLY_WITH)) {
        if (step.raw[key] !== undefined && step.raw[kind] === undefined) {
          ctx.report({ code: 'step-kind', path: [...step.path, key], at: 'key', message: `"${key}" applies only to ${kind}: steps, and ${name} has no ${kind}` });
        }
      }
    }
  },
};
