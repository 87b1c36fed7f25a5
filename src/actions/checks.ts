import type { ActionDefinition } from './action.js';

/** Actions of the checks family. Filled in by the checks capability. */
export const checksActions: readonly ActionDefinition[] = [];
