import type { Actor } from '../core/actor.js';
import { formatDuration } from '../core/duration.js';
import { unreachable } from '../core/unreachable.js';
import type { RunEvidence } from '../ledger/run-evidence.js';
import { rollbackInfo } from '../plan/rollback-info.js';

export interface RenderRunMarkdownOptions {
  /** Where each artifact was copied, relative to run.md, by sha256. Unlisted ones are shown by digest only. */
  readonly artifactFiles?: ReadonlyMap<string, string>;
}

/**
 * Renders a run's evidence as a Markdown report for a change ticket: header facts, a step table,
 * approvals with their checklist answers, the evidence entries and artifacts, and how to verify.
 * Pure: the same evidence always renders the same text.
 */
export function renderRunMarkdown(ev: RunEvidence, opts: RenderRunMarkdownOptions = {}): string {
  const { run } = ev;
  const out: string[] = [];
  out.push(`# ${run.runbookName} — run ${run.id}`, '');
  out.push('| | |', '|---|---|');
  out.push(`| Runbook | ${cell(run.runbookName)} (\`${cell(run.runbookPath)}\`, sha256 \`${run.runbookDigest.slice(0, 12)}\`) |`);
  out.push(`| Environment | ${cell(run.environment)} |`);
  out.push(`| Release | ${cell(run.release ?? '—')} |`);
  const rollback = rollbackInfo(run.planJson);
  if (rollback?.reason != null) out.push(`| Rollback | ${cell(`${rollback.of ? `of run ${rollback.of}: ` : ''}${rollback.reason}`)} |`);
  out.push(`| Started by | ${cell(run.actor.id)} (${howKnown(run.actor)}) |`);
  out.push(`| Status | **${run.status}** |`);
  out.push(`| Started | ${run.startedAt} |`);
  out.push(`| Ended | ${run.endedAt ? `${run.endedAt} (${span(run.startedAt, run.endedAt)})` : '—'} |`);
  out.push('');

  out.push('## Steps', '');
  if (ev.steps.length === 0) out.push('No step has started.');
  else {
    out.push('| Step | Section | Status | Attempt | Duration | Summary |', '|---|---|---|---|---|---|');
    for (const s of ev.steps) {
      const duration = s.startedAt && s.endedAt ? span(s.startedAt, s.endedAt) : '—';
      out.push(`| ${cell(s.stepId)} | ${s.section} | ${s.status} | ${s.attempt} | ${duration} | ${cell(s.summary ?? '')} |`);
    }
  }
  out.push('');

  out.push('## Approvals', '');
  if (ev.approvals.length === 0) out.push('No approvals recorded.', '');
  for (const a of ev.approvals) {
    out.push(`### ${cell(a.stepId)}: ${a.decision} by ${cell(a.actor.id)}`, '');
    out.push(`- Actor: ${cell(a.actor.id)} (${howKnown(a.actor)})`, `- At: ${a.at}`, `- Note: ${a.note === null ? '—' : cell(a.note)}`, '');
    if (a.items.length > 0) {
      out.push('| # | Checklist item | Result | Note |', '|---|---|---|---|');
      for (const i of a.items) out.push(`| ${i.item} | ${cell(i.text)} | ${i.result} | ${cell(i.note ?? '')} |`);
      out.push('');
    }
  }

  out.push('## Evidence', '');
  if (ev.entries.length === 0) out.push('No ledger entries for this run.');
  else {
    out.push('| Seq | At | Step | Kind | Detail | Hash |', '|---|---|---|---|---|---|');
    for (const e of ev.entries) {
      out.push(`| ${e.seq} | ${e.at} | ${cell(e.step ?? '—')} | ${cell(e.kind)} | ${cell(brief(e.data))} | \`${e.hash.slice(0, 12)}\` |`);
    }
  }
  out.push('');
  if (ev.artifacts.length > 0) {
    out.push('Artifacts:', '');
    for (const a of ev.artifacts) {
      const file = opts.artifactFiles?.get(a.sha256);
      const where = a.path === undefined ? 'MISSING from the artifact store' : file ? `[${file}](${encodeURI(file)})` : 'in the artifact store';
      out.push(`- ${cell(a.name)}: sha256 \`${a.sha256}\`, ${where}`);
    }
    out.push('');
  }

  out.push('## Verification', '');
  const last = ev.entries.at(-1);
  if (last) out.push(`- Ledger head for this run: seq ${last.seq}, hash \`${last.hash}\``);
  if (ev.anchor) out.push(`- Chain anchor (the entry before it): seq ${ev.anchor.seq}, hash \`${ev.anchor.hash}\``);
  const first = ev.chain[0];
  const lastOfChain = ev.chain.at(-1);
  if (first && lastOfChain) {
    const others = ev.chain.length - ev.entries.length;
    out.push(
      `- Chain slice in ledger.json: seq ${first.seq}–${lastOfChain.seq}` +
        (others > 0 ? ` (${others} entr${others === 1 ? 'y' : 'ies'} of other runs kept in between so the chain has no gap)` : ''),
    );
  }
  if (ev.ledgerHead) out.push(`- Whole ledger at export: seq ${ev.ledgerHead.seq}, hash \`${ev.ledgerHead.hash}\``);
  out.push('');
  out.push(
    'Verify the exported chain and artifacts with `shipgate evidence verify --bundle <this directory>`; ' +
      'verify the live ledger with `shipgate evidence verify` where the state is kept.',
  );
  return `${out.join('\n')}\n`;
}

/** How the actor's identity is known, in words. */
export function howKnown(actor: Actor): string {
  switch (actor.via) {
    case 'asserted-env':
      return 'asserted via SHIPGATE_ACTOR';
    case 'asserted-git':
      return "asserted via git's user.email";
    case 'asserted-os':
      return 'asserted via the OS user';
    case 'session':
      return 'authenticated dashboard session';
    case 'system':
      return 'shipgate itself';
    default:
      return unreachable(actor.via);
  }
}

/**
 * One cell about an entry's data: its `summary` when it has one (the engine writes one per step
 * and run result), else its `status` or `decision`, else compact JSON cut to fit.
 */
function brief(data: unknown): string {
  if (data === null || data === undefined) return '';
  if (typeof data === 'object' && !Array.isArray(data)) {
    const d = data as Record<string, unknown>;
    for (const key of ['summary', 'status', 'decision'] as const) {
      const v = d[key];
      if (typeof v === 'string' && v) return v.length > 100 ? `${v.slice(0, 99)}…` : v;
    }
  }
  const text = JSON.stringify(data, (_k, v: unknown) => (typeof v === 'string' && v.length > 16 ? `${v.slice(0, 12)}…` : v));
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function span(from: string, to: string): string {
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? formatDuration(ms) : '—';
}

/** Table-cell safe: pipes escaped, line breaks flattened. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
