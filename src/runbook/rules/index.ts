import { actionsRule } from './actions.js';
import { badRegexRule } from './bad-regex.js';
import { duplicateStepIdRule } from './duplicate-step-id.js';
import { expressionsRule } from './expressions.js';
import { namesRule } from './names.js';
import { needsRule } from './needs.js';
import type { Rule } from './rule.js';
import { rolesRule } from './roles.js';
import { schemaRule } from './schema.js';
import { stepKindRule } from './step-kind.js';

/**
 * Every validation rule, run in this order on every runbook (YAML syntax is checked before, in
 * validate.ts, since nothing else can run without a document). Each reports all it finds.
 */
export const RULES: readonly Rule[] = [schemaRule, stepKindRule, duplicateStepIdRule, needsRule, expressionsRule, actionsRule, rolesRule, badRegexRule, namesRule];
