import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { sha256Hex } from '../core/canonical-json.js';
import { err, ok, type Result } from '../core/result.js';
import type { Diagnostic } from './diagnostic.js';
import type { LoadedRunbook } from './loaded-runbook.js';
import { RunbookSchema } from './schema.js';

/**
 * Loads and validates a runbook file. MINIMAL VERSION: parses and checks the schema only, with
 * positions at 1:1. The runbook capability replaces it with the full loader (positions, every
 * validation rule); the signature stays.
 */
export async function loadRunbook(file: string, opts: { cwd?: string } = {}): Promise<Result<LoadedRunbook, Diagnostic[]>> {
  const path = resolve(opts.cwd ?? '.', file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    return err([{ file, pos: { line: 1, col: 1 }, severity: 'error', code: 'file-unreadable', message: (e as Error).message }]);
  }
  const parsed = RunbookSchema.safeParse(parse(text));
  if (!parsed.success) {
    return err(parsed.error.issues.map((i) => ({ file, pos: { line: 1, col: 1 }, severity: 'error' as const, code: 'schema', message: `${i.path.join('.')}: ${i.message}` })));
  }
  return ok({ runbook: parsed.data, path, dir: dirname(path), digest: sha256Hex(text), stepPos: () => undefined });
}
