import { asRunId } from '../../core/brand.js';
import { formatDuration } from '../../core/duration.js';
import { isUserError, UserError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import { isProcessRunning } from '../../engine/process/process-group.js';
import type { Plan } from '../../plan/plan.js';
import { rollbackInfo } from '../../plan/rollback-info.js';
import { StoreErrorCode } from '../../store/store-errors.js';
import type { CliIO } from '../io.js';
import { makeStyle, SYMBOL } from '../output/style.js';
import { resolveStateDir } from '../state-dir.js';
import { openExistingWorkspace, openWorkspace } from '../workspace.js';
import { describeDriver, driverState } from './driver-state.js';
import { statusNext } from './status-next.js';

export async function statusCommand(io: CliIO, runArg: string | undefined, opts: { state?: string; json?: boolean }): Promise<ExitCode> {
  await using ws = await openExistingWorkspace(io, { state: opts.state }, runArg);
  const run = runArg ? await ws.store.getRun(asRunId(runArg)) : (await ws.store.listRuns({ limit: 1 }))[0];
  if (!run) {
    throw new UserError('SG_RUN_NOT_FOUND', runArg ? `no run ${runArg} in ${ws.stateDir}` : `no runs yet in ${ws.stateDir}`, runArg ? 'list runs with: shipgate runs' : 'start one with: shipgate run --env NAME');
  }
  const steps = await ws.store.getSteps(run.id);
  const approvals = await ws.store.listApprovals(run.id);
  const plan = JSON.parse(run.planJson) as Plan;
  // A killed driver leaves the run `running`; say whether anyone still drives it.
  const driver = run.status === 'running' ? driverState(run, isProcessRunning) : undefined;
  const next = await statusNext(ws.store, run, plan, steps, driver ?? { kind: 'unknown' });
  if (opts.json) {
    const { planJson: _p, ...rest } = run;
    io.stdout.write(`${JSON.stringify({ run: { ...rest, plan }, steps, approvals, ...(driver ? { driver } : {}), next: next.commands }, null, 2)}\n`);
    return ExitCode.Success;
  }
  const s = makeStyle(io.color);
  const state = driver && driver.kind !== 'unknown' ? `${run.status} ${describeDriver(driver)}` : run.status;
  const rb = rollbackInfo(run.planJson);
  const rollback = rb?.reason != null ? `; rollback${rb.of ? ` of run ${rb.of}` : ''}: ${rb.reason}` : '';
  io.stdout.write(`${s.bold(`run ${run.id}`)}  ${state}\n  ${run.runbookName} → ${run.environment}${run.release ? ` (release ${run.release})` : ''}${rollback}; started ${run.startedAt} by ${run.actor.id} (${run.actor.via})\n`);
  for (const p of [...plan.steps, ...plan.rollback]) {
    const r = steps.find((x) => x.stepId === p.id);
    if (!r && p.phase === 'rollback') continue;
    const recorded = r?.status ?? 'pending';
    // A finished run's last rows can still say waiting/running (cancelled at a gate): it will
    // never be decided, and showing ⏸ would invite an approval that is refused.
    const over = !['running', 'waiting', 'interrupted'].includes(run.status);
    const st = over && (recorded === 'waiting' || recorded === 'running') ? `not decided (${run.status})` : recorded;
    const ms = r?.startedAt && r.endedAt ? Date.parse(r.endedAt) - Date.parse(r.startedAt) : undefined;
    io.stdout.write(`  ${SYMBOL[st] ?? (st === recorded ? '?' : '-')} ${p.id.padEnd(24)} ${st.padEnd(16)} ${ms !== undefined ? formatDuration(ms).padStart(7) : '       '}  ${r?.summary ?? ''}\n`);
    for (const a of approvals.filter((x) => x.stepId === p.id)) {
      io.stdout.write(`      ${a.decision} by ${a.actor.id} (${a.actor.via}) at ${a.at}${a.note ? `: ${a.note}` : ''}\n`);
      for (const it of a.items) io.stdout.write(`        ${it.item}. ${it.text} — ${it.result}${it.note ? ` (${it.note})` : ''}\n`);
    }
  }
  if (next.lines.length) io.stdout.write(`\n${next.lines.map((l) => `  ${l}\n`).join('')}`);
  return ExitCode.Success;
}

export async function runsCommand(io: CliIO, opts: { env?: string; limit: string; state?: string; json?: boolean }): Promise<ExitCode> {
  const limit = Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UserError('SG_BAD_FLAG', `--limit ${opts.limit}: expected a whole number ≥ 1`, 'shipgate runs --limit 20');
  // Read-only: where nothing has run, the answer is an empty list — not a new .shipgate/.
  await using ws = await openWorkspace(io, { state: opts.state, create: false }).catch((e: unknown) => {
    if (isUserError(e) && e.code === StoreErrorCode.Missing) return undefined;
    throw e;
  });
  const runs = ws ? await ws.store.listRuns({ limit, ...(opts.env ? { environment: opts.env } : {}) }) : [];
  if (opts.json) {
    io.stdout.write(`${JSON.stringify(runs.map(({ planJson, ...r }) => ({ ...r, ...(rollbackInfo(planJson) ?? {}) })), null, 2)}\n`);
    return ExitCode.Success;
  }
  if (runs.length === 0) io.stdout.write(`no runs yet in ${resolveStateDir(io, { state: opts.state })}\n`);
  for (const r of runs) {
    // A killed driver never wrote `interrupted`: say so here as `status` does.
    const shown = r.status === 'running' && driverState(r, isProcessRunning).kind === 'gone' ? 'interrupted?' : r.status;
    const rb = rollbackInfo(r.planJson);
    const release = rb?.reason != null ? `rollback of ${r.release ?? '-'}` : (r.release ?? '-');
    io.stdout.write(`${r.id}  ${shown.padEnd(15)} ${r.environment.padEnd(12)} ${release}  ${r.startedAt}  ${r.actor.id}${rb?.reason != null ? `  (${rb.reason})` : ''}\n`);
  }
  return ExitCode.Success;
}
