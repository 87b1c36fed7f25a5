import type { ActionDefinition } from './action.js';

/** Actions of the release family. Filled in by the release capability. */
export const releaseActions: readonly ActionDefinition[] = [];
