import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { sha256Hex } from '../core/canonical-json.js';
import { err, ok, type Result } from '../core/result.js';
import type { Diagnostic } from './diagnostic.js';
import type { LoadedRunbook } from './loaded-runbook.js';
import { validateRunbookText, type ValidateOptions } from './validate.js';

/**
 * Reads, parses and validates a runbook file. Every problem is reported at once, each with the
 * `file:line:col` of the offending key or value (`file` as given, resolved against `cwd`).
 * A file that cannot be read is one `file-unreadable` diagnostic with the next thing to do.
 */
export async function loadRunbook(file: string, opts: { cwd?: string } & ValidateOptions = {}): Promise<Result<LoadedRunbook, Diagnostic[]>> {
  const path = resolve(opts.cwd ?? '.', file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? `no runbook at ${path}` : code === 'EISDIR' ? `${path} is a directory, not a runbook file` : `cannot read ${path}: ${(e as Error).message}`;
    const hint = code === 'ENOENT' || code === 'EISDIR' ? 'pass the runbook file: shipgate validate path/to/shipgate.yml (an example: examples/selenite/shipgate.yml)' : undefined;
    return err([{ file, pos: { line: 1, col: 1 }, severity: 'error', code: 'file-unreadable', message, ...(hint ? { hint } : {}) }]);
  }
  const validated = validateRunbookText(text, file, opts.actions ? { actions: opts.actions } : {});
  if (!validated.ok) return validated;
  return ok({ runbook: validated.value.runbook, path, dir: dirname(path), digest: sha256Hex(text), stepPos: validated.value.stepPos });
}
