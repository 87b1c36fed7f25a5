import type { ActionDefinition } from './action.js';

/** Actions of the data family. Filled in by the data capability. */
export const dataActions: readonly ActionDefinition[] = [];
