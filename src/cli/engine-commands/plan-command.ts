import { availableParallelism } from 'node:os';
import { UserError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import { formatDuration } from '../../core/duration.js';
import { planRun } from '../../plan/plan-run.js';
import type { PlannedStep } from '../../plan/plan.js';
import type { CliIO } from '../io.js';
import { loadRunbookOrExit } from '../load-or-exit.js';
import { makeStyle } from '../output/style.js';

export async function planCommand(io: CliIO, file: string, opts: { env: string; release?: string; json?: boolean }): Promise<ExitCode> {
  const loaded = await loadRunbookOrExit(io, file);
  if (!(opts.env in loaded.runbook.environments)) {
    const known = Object.keys(loaded.runbook.environments);
    throw new UserError('SG_UNKNOWN_ENV', `environment "${opts.env}" is not defined in ${file} (defined: ${known.join(', ')})`, `shipgate plan ${file} --env ${known[0] ?? 'NAME'}`);
  }
  const plan = planRun(loaded, { environment: opts.env, release: opts.release ?? null, cpus: availableParallelism() });
  if (opts.json) {
    io.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
    return ExitCode.Success;
  }
  const s = makeStyle(io.color);
  io.stdout.write(`${s.bold(plan.runbook.name)} → ${plan.environment}${plan.release ? ` (release ${plan.release})` : ''}: ${plan.steps.length} step(s), ${plan.rollback.length} rollback step(s), up to ${plan.concurrency} at once\n`);
  const show = (steps: readonly PlannedStep[]) => {
    let phase = '';
    for (const st of steps) {
      if (st.phase !== phase) io.stdout.write(`${s.bold(`  ${(phase = st.phase)}`)}${st.rollbackOnFailure ? s.dim(' (rolls back on failure)') : ''}\n`);
      io.stdout.write(`    ${String(st.index + 1).padStart(3)}. ${st.id}  ${s.dim(describe(st))}\n`);
    }
  };
  show(plan.steps);
  if (plan.rollback.length) show(plan.rollback);
  return ExitCode.Success;
}

function describe(st: PlannedStep): string {
  const what = st.kind === 'manual' ? `manual: ${st.manual?.role} × ${st.manual?.approvals}` : st.kind === 'uses' ? `uses ${st.uses}` : `run: ${oneLine(st.run ?? '')}`;
  const extras = [
    st.needs.length ? `needs ${st.needs.join(', ')}` : 'no needs',
    st.if ? `if ${st.if}` : '',
    st.retries.count ? `retries ${st.retries.count}` : '',
    st.timeoutMs !== 30 * 60_000 ? `timeout ${formatDuration(st.timeoutMs)}` : '',
    st.continueOnError ? 'continue-on-error' : '',
    st.idempotent ? 'idempotent' : '',
  ].filter(Boolean);
  return `${what} — ${extras.join(', ')}`;
}

const oneLine = (s: string) => {
  const first = s.trim().split('\n')[0] ?? '';
  return first.length > 60 ? `${first.slice(0, 59)}…` : first + (s.trim().includes('\n') ? ' …' : '');
};
