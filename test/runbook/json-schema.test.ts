import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineAction } from '../../src/actions/action.js';
import { ACTIONS } from '../../src/actions/registry.js';
import { runbookJsonSchema } from '../../src/runbook/json-schema.js';
// @ts-expect-error -- a plain .mjs module shared with scripts/gen-reference.mjs
import { renderReference } from '../../scripts/reference-render.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

describe('JSON Schema and reference', () => {
  it('the committed schema/shipgate.schema.json and docs/reference.md are what the generator makes now', async () => {
    const files = renderReference(runbookJsonSchema(), ACTIONS) as Record<string, string>;
    for (const [rel, text] of Object.entries(files)) {
      // Stale file? Run `npm run docs` and commit the result.
      expect(await readFile(join(root, rel), 'utf8'), rel).toBe(text);
    }
  });

  it('has an $id and title, and accepts both example runbooks (checked by ajv)', async () => {
    const schema = runbookJsonSchema();
    expect(schema.$id).toBe('urn:shipgate:schema:runbook:1');
    expect(schema.title).toBe('shipgate runbook');
    const validate = new Ajv2020({ strict: false }).compile(schema);
    for (const example of ['examples/selenite/shipgate.yml', 'examples/chefcloud/shipgate.yml']) {
      const ok = validate(parse(await readFile(join(root, example), 'utf8')));
      expect(validate.errors ?? [], example).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('rejects an unknown step key like the validator does', () => {
    const validate = new Ajv2020({ strict: false }).compile(runbookJsonSchema());
    const runbook = { version: 1, name: 'x', environments: { production: {} }, phases: [{ id: 'p', steps: [{ id: 'a', run: 'true', need: ['b'] }] }] };
    expect(validate(runbook)).toBe(false);
  });

  it('lists every registered action in the reference, with its with: keys', () => {
    const action = defineAction({
      name: 'check/http',
      summary: 'GET a URL and assert on status and body.',
      with: z.strictObject({ url: z.string().describe('The URL.'), timeout: z.number().default(10).describe('Seconds.') }),
      load: async () => ({ run: async () => ({ status: 'passed', summary: 'test-only' }) }),
    });
    const md = (renderReference(runbookJsonSchema(), new Map([[action.name, action]])) as Record<string, string>)['docs/reference.md']!;
    expect(md).toContain('### `check/http`\n\nGET a URL and assert on status and body.');
    expect(md).toContain('| `url` | string (required) |  | The URL. |');
    expect(md).toContain('| `timeout` | number | `10` | Seconds. |');
    expect((renderReference(runbookJsonSchema(), new Map()) as Record<string, string>)['docs/reference.md']).toContain('No actions are registered in this build yet');
  });
});
