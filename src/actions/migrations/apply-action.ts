import { execa } from 'execa';
import type { ActionContext, ActionImpl, ActionOutcome } from '../action.js';
import { resolveMigrations } from './config.js';
import { withUserErrors } from './user-errors.js';
import { readStatus, resolveDbTarget } from './service.js';
import { statusLine } from './status.js';

interface ApplyWith {
  'database-url'?: string | undefined;
  command?: string | undefined;
}

/** Runs the apply command and judges by its exit code AND by status read afterwards. */
export const applyAction: ActionImpl<ApplyWith> = withUserErrors<ApplyWith>({
  async run(input: ApplyWith, ctx: ActionContext): Promise<ActionOutcome> {
    const cfg = resolveMigrations(ctx.runbook);
    const command = input.command ?? cfg.apply;
    if (!command) return { status: 'failed', summary: 'migrations.apply is not set: nothing to run (set migrations.apply, e.g. `npx prisma migrate deploy`)' };
    const target = resolveDbTarget(ctx.runbook, input['database-url'], ctx.env);
    const before = await readStatus(cfg, target);
    const t0 = ctx.clock().getTime();
    const proc = await execa(command, { shell: true, cwd: cfg.cwd, env: ctx.env, extendEnv: false, reject: false, all: true, cancelSignal: ctx.signal });
    const ms = ctx.clock().getTime() - t0;
    for (const line of String(proc.all ?? '').split('\n')) if (line) ctx.log(line);
    const after = await readStatus(cfg, target);
    const exitOk = proc.exitCode === 0;
    const drained = after.pending.length === 0 && after.failed.length === 0;
    const checks = [
      { name: 'apply-exit-code', passed: exitOk, expected: 'exit 0', measured: `exit ${proc.exitCode ?? `signal ${proc.signal}`}`, ms },
      { name: 'nothing-pending-after', passed: drained, expected: '0 pending, 0 failed', measured: `${after.pending.length} pending${after.pending.length ? ` (${after.pending.join(', ')})` : ''}, ${after.failed.length} failed` },
    ];
    const applied = before.pending.filter((id) => after.applied.includes(id));
    const why = !exitOk ? `\`${command}\` exited ${proc.exitCode}` : !drained ? `\`${command}\` exited 0 but ${statusLine(after)}` : `applied ${applied.length} in ${ms} ms`;
    return {
      status: exitOk && drained ? 'passed' : 'failed',
      summary: why,
      checks,
      outputs: { applied: applied.join(','), 'duration-ms': String(ms) },
      data: { command, exitCode: proc.exitCode ?? null, durationMs: ms, applied, before: before.pending, after: { ...after } },
    };
  },
});
