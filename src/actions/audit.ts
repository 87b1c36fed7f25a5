import type { ActionDefinition } from './action.js';

/** Actions of the audit family. Filled in by the audit capability. */
export const auditActions: readonly ActionDefinition[] = [];
