import { suggestion } from '../did-you-mean.js';
import { hasExpression } from '../expressions/template.js';
import { findingsFromZod } from '../zod-findings.js';
import { asRecord, type Rule } from './rule.js';

/**
 * Top-level blocks an action cannot work without. Kept here (not in ActionDefinition, a shared
 * contract) because it is a property of the runbook format: `backup` backs up what `data:` names.
 */
const REQUIRES: Readonly<Record<string, { block: 'data' | 'migrations'; why: string }>> = {
  backup: { block: 'data', why: 'what to back up' },
  'backup/verify': { block: 'data', why: 'where backups and scratch space are' },
  restore: { block: 'data', why: 'what to restore and which paths are protected' },
  rehearse: { block: 'data', why: 'what to restore into scratch' },
  'migrations/lint': { block: 'migrations', why: 'where the migrations are' },
  'migrations/status': { block: 'migrations', why: 'how to ask for migration status' },
  'migrations/apply': { block: 'migrations', why: 'how migrations are applied' },
};

/**
 * unknown-action (`uses:` names no registered action), action-inputs (`with:` does not fit the
 * action's schema; any string holding `${{` is accepted, it is checked again after expansion),
 * missing-block (the action needs a `data:` or `migrations:` block).
 */
export const actionsRule: Rule = {
  name: 'actions',
  check(ctx) {
    for (const step of ctx.steps) {
      const uses = step.raw.uses;
      if (typeof uses !== 'string') continue;
      const need = REQUIRES[uses];
      if (need && asRecord(ctx.data[need.block]) === undefined) {
        ctx.report({ code: 'missing-block', path: [...step.path, 'uses'], message: `action "${uses}" needs a top-level ${need.block}: block (${need.why})`, hint: `see docs/reference.md, section "${need.block}"` });
      }
      const action = ctx.findAction(uses);
      if (!action) {
        const names = [...ctx.actionNames()].sort();
        ctx.report({
          code: 'unknown-action',
          path: [...step.path, 'uses'],
          message: `unknown action "${uses}"${suggestion(uses, names)}`,
          hint: names.length > 0 ? `known actions: ${names.join(', ')}` : 'no actions are registered in this build; use a run: step',
        });
        continue;
      }
      const input = step.raw.with ?? {};
      const parsed = action.with.safeParse(input);
      if (parsed.success) continue;
      const findings = findingsFromZod(parsed.error.issues, {
        schema: action.with,
        value: input,
        base: [...step.path, 'with'],
        skip: (v) => typeof v === 'string' && hasExpression(v),
      });
      for (const f of findings) ctx.report({ ...f, code: 'action-inputs', message: `${uses}: ${f.message}` });
    }
  },
};
