import type { ActionDefinition } from './action.js';

/** Actions of the migrations family. Filled in by the migrations capability. */
export const migrationsActions: readonly ActionDefinition[] = [];
