import type { Writable } from 'node:stream';
import { formatDuration } from '../../core/duration.js';
import { unreachable } from '../../core/unreachable.js';
import type { RunEvent, RunSubscriber } from '../../engine/events.js';
import { indentBlock } from './indent-block.js';
import { makeStyle, SYMBOL, type Style } from './style.js';

/** What the reporters know beyond the events. */
export interface ReportContext {
  /**
   * When the run being resumed started (ISO). A driver measures only its own part; the run's
   * duration is since this moment, waits for approval and the time it lay interrupted included.
   */
  readonly runStartedAt?: string;
}

/**
 * Line-by-line progress for logs and CI (not a TTY): every transition and every output line,
 * prefixed with the step id, so a CI log reads top to bottom.
 */
export function plainReporter(out: Writable, color: boolean, ctx: ReportContext = {}): RunSubscriber {
  const s = makeStyle(color);
  return (e) => {
    const line = formatPlain(e, s, ctx);
    if (line !== null) out.write(`${line}\n`);
  };
}

export function formatPlain(e: RunEvent, s: Style, ctx: ReportContext = {}): string | null {
  switch (e.kind) {
    case 'run-started':
      return s.bold(
        `run ${e.run}: ${e.runbook.name} → ${e.environment}${e.release ? ` (release ${e.release})` : ''}${e.reason !== undefined ? `, rollback: ${e.reason}` : ''}, ${e.steps} step(s), by ${e.actor.id} (${e.actor.via})`,
      );
    case 'run-resumed':
      return s.bold(`run ${e.run} resumed by ${e.actor.id}${e.rerun.length ? `; re-running ${e.rerun.join(', ')}` : ''}${e.skip.length ? `; skipped ${e.skip.map((k) => k.step).join(', ')}` : ''}`);
    case 'step-started':
      return s.dim(`${SYMBOL.running} ${e.step}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}${e.name !== e.step ? ` — ${e.name}` : ''}`);
    case 'step-spawned':
      return null;
    case 'step-output':
      return s.dim(`  ${e.step}│ `) + (e.stream === 'stderr' ? s.yellow(e.line) : e.line);
    case 'step-retrying':
      return s.yellow(`↻ ${e.step} failed (${e.reason}); retry ${e.attempt + 1} in ${formatDuration(e.delayMs)}`);
    case 'step-finished': {
      const paint = e.status === 'passed' ? s.green : e.status === 'skipped' ? s.dim : e.status === 'failed-continued' ? s.yellow : s.red;
      const checks = e.checks.filter((c) => !c.passed).map((c) => `\n    ✗ ${c.name}: expected ${c.expected ?? '?'}, measured ${c.measured ?? '?'}`).join('');
      return paint(`${SYMBOL[e.status] ?? '?'} ${e.step} ${e.status} ${formatDuration(e.durationMs)}`) + ` ${e.summary}${checks}`;
    }
    case 'step-not-started':
      return s.yellow(`${SYMBOL.interrupted} ${e.step} not started: ${e.summary}; a resume runs it`);
    case 'step-waiting':
      return s.yellow(`${SYMBOL.waiting} ${e.step} waiting for ${e.approvals} approval(s) from role ${e.role}${e.selfApproval ? '' : ' (not the run starter)'} — ${e.reason}`) +
        (e.instructions ? `\n${indentBlock(e.instructions, '    ')}` : '') +
        e.checklist.map((c, i) => `\n    ${i + 1}. ${c}`).join('');
    case 'approval-recorded':
      return `${e.approval.decision === 'approved' ? '✓' : '✗'} ${e.step} ${e.approval.decision} by ${e.approval.actor.id}`;
    case 'rollback-started':
      return s.red(s.bold(`↺ rolling back: ${e.failedStep} failed (${e.reason})`));
    case 'run-waiting':
      return s.yellow(s.bold(`⏸ run ${e.run} is waiting for approval of ${e.steps.join(', ')}`)) +
        `\n  approve: shipgate approve ${e.run} ${e.steps[0]} --all-pass\n  then:    shipgate resume ${e.run}`;
    case 'run-finished': {
      const paint = e.status === 'succeeded' ? s.green : e.status === 'rolled-back' ? s.yellow : s.red;
      return paint(s.bold(`run ${e.run} ${e.status} in ${runDuration(e.durationMs, e.at, ctx)}: ${e.summary}`));
    }
    default:
      return unreachable(e);
  }
}

/** After a resume `5m03s since it started (this resume: 2ms)`; else the driver's own measure. */
function runDuration(drivenMs: number, endedAt: string, ctx: ReportContext): string {
  const total = ctx.runStartedAt ? Date.parse(endedAt) - Date.parse(ctx.runStartedAt) : Number.NaN;
  if (!Number.isFinite(total) || total < drivenMs) return formatDuration(drivenMs);
  return `${formatDuration(total)} since it started (this resume: ${formatDuration(drivenMs)})`;
}
