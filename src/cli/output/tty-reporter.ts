import type { Writable } from 'node:stream';
import { formatDuration } from '../../core/duration.js';
import type { RunEvent, RunSubscriber } from '../../engine/events.js';
import type { Plan } from '../../plan/plan.js';
import { formatPlain, type ReportContext } from './plain-reporter.js';
import { makeStyle, SYMBOL } from './style.js';

interface Row {
  id: string;
  phase: string;
  status: string;
  startedAt?: number;
  ms?: number;
  note: string;
}

/**
 * The live view on a terminal: the step tree with status and duration, redrawn in place, with
 * the last output line of each running step. Headline events (run started, rollback, waiting,
 * finished) are printed above the tree so they stay in the scrollback.
 */
export function ttyReporter(out: Writable & { columns?: number }, plan: Plan, color: boolean, ctx: ReportContext = {}): RunSubscriber & { stop(): void; freeze(): void } {
  const s = makeStyle(color);
  const rows = new Map<string, Row>([...plan.steps, ...plan.rollback].map((p) => [p.id, { id: p.id, phase: p.phase, status: 'pending', note: '' }]));
  let drawn = 0;
  const width = () => Math.max(40, (out.columns ?? 100) - 1);
  const clear = () => {
    if (drawn > 0) out.write(`\u001b[${drawn}A\u001b[0J`);
    drawn = 0;
  };
  const draw = () => {
    clear();
    const lines: string[] = [];
    let phase = '';
    for (const r of rows.values()) {
      if (r.phase === 'rollback' && r.status === 'pending') continue;
      if (r.phase !== phase) lines.push(s.bold(`  ${(phase = r.phase)}`));
      const ms = r.ms ?? (r.startedAt ? Date.now() - r.startedAt : undefined);
      const paint = r.status === 'passed' ? s.green : r.status === 'failed' || r.status === 'rejected' ? s.red : r.status === 'waiting' ? s.yellow : r.status === 'running' ? s.cyan : s.dim;
      const text = `    ${SYMBOL[r.status] ?? '?'} ${r.id}${ms !== undefined ? ` ${formatDuration(ms)}` : ''}${r.note ? `  ${r.note}` : ''}`;
      lines.push(paint(text.length > width() ? `${text.slice(0, width() - 1)}…` : text));
    }
    out.write(`${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  const timer = setInterval(() => rows.size && [...rows.values()].some((r) => r.status === 'running') && draw(), 250);
  timer.unref();

  const sub = (e: RunEvent) => {
    const headline = (text: string | null) => {
      clear();
      if (text) out.write(`${text}\n`);
    };
    switch (e.kind) {
      case 'run-started':
      case 'run-resumed':
      case 'rollback-started':
      case 'approval-recorded':
        headline(formatPlain(e, s, ctx));
        break;
      case 'run-waiting':
      case 'run-finished':
        draw();
        drawn = 0; // keep the final tree on screen
        out.write(`${formatPlain(e, s, ctx)}\n`);
        return;
      case 'step-started':
        Object.assign(rows.get(e.step) ?? {}, { status: 'running', startedAt: Date.now(), ms: undefined, note: e.attempt > 1 ? `attempt ${e.attempt}` : '' });
        break;
      case 'step-output':
        Object.assign(rows.get(e.step) ?? {}, { note: s.dim(e.line.trim()) });
        break;
      case 'step-retrying':
        Object.assign(rows.get(e.step) ?? {}, { note: `retrying: ${e.reason}` });
        break;
      case 'step-finished':
        Object.assign(rows.get(e.step) ?? {}, { status: e.status, ms: e.durationMs, note: e.status === 'passed' ? '' : e.summary });
        break;
      case 'step-not-started':
        Object.assign(rows.get(e.step) ?? {}, { status: 'pending', ms: undefined, note: 'not started: nothing ran' });
        break;
      case 'step-waiting':
        Object.assign(rows.get(e.step) ?? {}, { status: 'waiting', note: `waiting for ${e.role}` });
        break;
    }
    draw();
  };
  // freeze(): leave the tree as drawn (e.g. before a prompt) and draw the next one below it.
  return Object.assign(sub, { stop: () => clearInterval(timer), freeze: () => void (drawn = 0) });
}
