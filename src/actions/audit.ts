import type { ActionDefinition } from './action.js';
import { defineAction } from './action.js';
import { EnvWithSchema, GrepWithSchema, SecretsWithSchema } from './audit/schemas.js';

/** Actions of the audit family (docs/audit.md). Implementations load lazily. */
export const auditActions: readonly ActionDefinition[] = [
  defineAction({
    name: 'audit/grep',
    summary: 'rg-style pattern audit with an allowlist: passes with zero counted hits (or within max-hits)',
    with: GrepWithSchema,
    load: async () => (await import('./audit/grep-action.js')).grepAction,
  }),
  defineAction({
    name: 'audit/env',
    summary: 'Assertions on a dotenv file (equals, regex, port, unset, differs-from), reported file:line',
    with: EnvWithSchema,
    load: async () => (await import('./audit/env-action.js')).envAction,
  }),
  defineAction({
    name: 'secrets/check',
    summary: "The environment's secrets: present, long and random enough, not a known default, rotated on time, never committed",
    with: SecretsWithSchema,
    load: async () => (await import('./audit/secrets-action.js')).secretsAction,
  }),
];
