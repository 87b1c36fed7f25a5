import { asRunId } from '../../core/brand.js';
import { UserError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import type { ChecklistAnswer } from '../../engine/approvals.js';
import { cancelRun } from '../../engine/cancel-run.js';
import { isProcessGroupRunning, isProcessRunning } from '../../engine/process/process-group.js';
import { decideStep } from '../../engine/decide-step.js';
import type { Plan } from '../../plan/plan.js';
import { resolveActor } from '../actor.js';
import type { CliIO } from '../io.js';
import { openExistingWorkspace } from '../workspace.js';

/** `--item 3=fail:export button missing` → { item: 3, result: 'fail', note } */
export function parseItem(raw: string): Omit<ChecklistAnswer, 'text'> {
  const m = /^(\d+)=(pass|fail)(?::(.*))?$/s.exec(raw.trim());
  if (!m) throw new UserError('SG_BAD_ITEM', `--item ${raw}: expected N=pass or N=fail, optionally :note (e.g. --item 2=fail:"export is broken")`, 'shipgate approve --help');
  return { item: Number(m[1]), result: m[2] as 'pass' | 'fail', ...(m[3] ? { note: m[3] } : {}) };
}

export async function decideCommand(
  io: CliIO,
  decision: 'approved' | 'rejected',
  runArg: string,
  stepId: string,
  opts: { item?: string[]; allPass?: boolean; note?: string; state?: string; json?: boolean },
): Promise<ExitCode> {
  const explicit = (opts.item ?? []).map(parseItem);
  await using ws = await openExistingWorkspace(io, { state: opts.state }, runArg);
  const runId = asRunId(runArg);
  let items = explicit.map((i) => ({ ...i, text: '' }));
  if (opts.allPass) {
    const run = await ws.store.getRun(runId);
    const plan = run ? (JSON.parse(run.planJson) as Plan) : undefined;
    const step = plan ? [...plan.steps, ...plan.rollback].find((s) => s.id === stepId) : undefined;
    const n = step?.manual?.checklist?.length ?? 0;
    items = Array.from({ length: n }, (_, i) => explicit.find((e) => e.item === i + 1) ?? { item: i + 1, result: 'pass' as const }).map((i) => ({ ...i, text: '' }));
  }
  const actor = resolveActor(io.env, io.cwd);
  const result = await decideStep({ store: ws.store, runId, stepId, actor, decision, note: opts.note ?? null, items, clock: () => new Date() });
  if (opts.json) {
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return ExitCode.Success;
  }
  const who = `${actor.id} (${actor.via})`;
  if (decision === 'rejected') {
    io.stdout.write(`✗ ${stepId} rejected by ${who}.\n  next: shipgate resume ${runId}   (the run fails there, and rolls back if its phase says so)\n`);
  } else if (result.remaining > 0) {
    io.stdout.write(`✓ ${stepId} approved by ${who}; ${result.remaining} more approval(s) needed before it passes.\n`);
  } else {
    io.stdout.write(`✓ ${stepId} approved by ${who}.\n  next: shipgate resume ${runId}\n`);
  }
  return ExitCode.Success;
}

export async function cancelCommand(io: CliIO, runArg: string, opts: { reason: string; state?: string }): Promise<ExitCode> {
  await using ws = await openExistingWorkspace(io, { state: opts.state }, runArg);
  await cancelRun({ store: ws.store, runId: asRunId(runArg), actor: resolveActor(io.env, io.cwd), reason: opts.reason, clock: () => new Date(), isProcessAlive: isProcessRunning, isProcessGroupAlive: isProcessGroupRunning, env: io.env });
  io.stdout.write(`run ${runArg} cancelled; its environment lock is released.\n`);
  return ExitCode.Success;
}
