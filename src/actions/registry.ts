import type { ActionDefinition } from './action.js';
import { auditActions } from './audit.js';
import { checksActions } from './checks.js';
import { dataActions } from './data.js';
import { migrationsActions } from './migrations.js';
import { releaseActions } from './release.js';

/** Every built-in action by name. `uses:` must name one of these (a validation rule). */
export const ACTIONS: ReadonlyMap<string, ActionDefinition> = new Map(
  [...checksActions, ...dataActions, ...migrationsActions, ...auditActions, ...releaseActions].map((a) => [a.name, a]),
);

export function findAction(name: string): ActionDefinition | undefined {
  return ACTIONS.get(name);
}
