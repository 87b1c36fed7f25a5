#!/usr/bin/env node
// Generates schema/shipgate.schema.json and docs/reference.md from the BUILT library (run
// `npm run build` first, or `npm run docs`). Both come from the zod schema that validates and
// from whatever actions are registered when this runs, so they cannot drift from the code.
// A test (test/runbook/json-schema.test.ts) fails when the committed files are stale.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { runbookJsonSchema } = await import(join(root, 'dist/runbook/json-schema.js'));
const { ACTIONS } = await import(join(root, 'dist/actions/registry.js'));
const { renderReference } = await import('./reference-render.mjs');

const files = renderReference(runbookJsonSchema(), ACTIONS);
if (process.argv.includes('--check')) {
  const { readFile } = await import('node:fs/promises');
  let stale = false;
  for (const [rel, text] of Object.entries(files)) {
    const current = await readFile(join(root, rel), 'utf8').catch(() => '');
    if (current !== text) {
      console.error(`${rel} is stale: run npm run docs`);
      stale = true;
    }
  }
  process.exitCode = stale ? 1 : 0;
} else {
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), text);
    console.log(`wrote ${rel}`);
  }
}
