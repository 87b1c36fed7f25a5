import { formatDiagnostic } from './diagnostic.js';
import { loadRunbook } from './load.js';
import type { CliIO } from '../cli/io.js';

/**
 * The body of `shipgate validate`: loads the runbook, prints every diagnostic then a one-line
 * summary (or one JSON document), and says whether it is valid.
 */
export async function validateRunbookFile(file: string, opts: { json: boolean }, io: CliIO): Promise<boolean> {
  const loaded = await loadRunbook(file, { cwd: io.cwd });
  if (opts.json) {
    const diagnostics = loaded.ok ? [] : loaded.error;
    io.stdout.write(`${JSON.stringify({ file, valid: loaded.ok, diagnostics }, null, 2)}\n`);
    return loaded.ok;
  }
  if (!loaded.ok) {
    for (const d of loaded.error) io.stdout.write(`${formatDiagnostic(d)}\n`);
    const n = loaded.error.length;
    io.stdout.write(`${file}: invalid, ${n} error${n === 1 ? '' : 's'}\n`);
    return false;
  }
  const rb = loaded.value.runbook;
  const steps = rb.phases.reduce((sum, p) => sum + p.steps.length, 0);
  const rollback = rb.rollback?.steps.length ?? 0;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  io.stdout.write(`${file}: valid (${plural(steps, 'step')} in ${plural(rb.phases.length, 'phase')}, ${plural(rollback, 'rollback step')}, environments: ${Object.keys(rb.environments).join(', ')})\n`);
  return true;
}
