import { RunbookSchema } from '../schema.js';
import { findingsFromZod } from '../zod-findings.js';
import type { Rule } from './rule.js';

/** The shape: unknown-key (with a "did you mean"), missing-key, wrong-type, invalid-value. */
export const schemaRule: Rule = {
  name: 'schema',
  check(ctx) {
    const parsed = ctx.parsed;
    if (parsed.success) return;
    for (const f of findingsFromZod(parsed.error.issues, { schema: RunbookSchema, value: ctx.data, base: [] })) ctx.report(f);
  },
};
