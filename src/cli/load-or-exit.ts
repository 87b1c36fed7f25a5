import { UserError } from '../core/errors.js';
import { formatDiagnostic } from '../runbook/diagnostic.js';
import { loadRunbook } from '../runbook/load.js';
import type { LoadedRunbook } from '../runbook/loaded-runbook.js';
import { DEFAULT_RUNBOOK } from './command.js';
import type { CliIO } from './io.js';

/** Loads the runbook for a command, printing every diagnostic and failing with exit 2 if invalid. */
export async function loadRunbookOrExit(io: CliIO, file: string | undefined): Promise<LoadedRunbook> {
  const given = file ?? DEFAULT_RUNBOOK;
  const result = await loadRunbook(given, { cwd: io.cwd });
  if (result.ok) return result.value;
  for (const d of result.error) io.stderr.write(`${formatDiagnostic(d)}\n`);
  const missing = result.error.length === 1 && result.error[0]!.code === 'file-unreadable';
  throw new UserError(
    missing ? 'SG_RUNBOOK_UNREADABLE' : 'SG_RUNBOOK_INVALID',
    missing ? `cannot read runbook ${given}` : `${given} has ${result.error.length} problem(s); nothing was run`,
    missing ? `pass the runbook path (shipgate run path/to/shipgate.yml --env NAME) or create ${DEFAULT_RUNBOOK}` : `fix them, then: shipgate validate ${given}`,
  );
}
