import * as z from 'zod';
import { RunbookSchema } from './schema.js';

/** The `$id` of the published schema; editors match it via `$schema:` in a runbook. */
export const RUNBOOK_SCHEMA_ID = 'urn:shipgate:schema:runbook:1';

/**
 * The JSON Schema of the runbook format, generated from the same zod schema that validates
 * (so the two cannot drift). It describes the INPUT (what people write): keys with defaults are
 * optional. Committed as schema/shipgate.schema.json by scripts/gen-reference.mjs.
 */
export function runbookJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(RunbookSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, $id: RUNBOOK_SCHEMA_ID, title: 'shipgate runbook', ...rest };
}
