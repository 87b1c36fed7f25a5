import type { GateReport } from './run-gate.js';

const ICON: Record<string, string> = { met: '✅', unmet: '❌', unmeasured: '❔', 'not-applicable': '➖' };

/** The Markdown summary for `$GITHUB_STEP_SUMMARY` (or stdout). */
export function renderGateMarkdown(r: GateReport): string {
  const out = [`## shipgate merge gate: ${r.passed ? 'passed' : 'NOT met'}`, '', '| | condition | expected | measured |', '|---|---|---|---|'];
  for (const c of r.conditions) out.push(`| ${ICON[c.status]} | ${c.title} | ${cell(c.expected)} | ${cell(c.measured)} |`);
  const unmet = r.conditions.filter((c) => c.status === 'unmet' || c.status === 'unmeasured');
  if (unmet.length) {
    out.push('', '### How to meet the gate', '');
    for (const c of unmet) out.push(`- **${c.title}** (${c.status === 'unmeasured' ? 'could not be measured' : 'not met'}): ${c.how ?? 'see the measured value above'}`);
  }
  return out.join('\n') + '\n';
}

/** GitHub workflow commands: one `::error` per unmet condition and per located finding. */
export function renderGateAnnotations(r: GateReport): string {
  const lines: string[] = [];
  for (const c of r.conditions) {
    if (c.status !== 'unmet' && c.status !== 'unmeasured') continue;
    lines.push(`::error title=${prop(`shipgate gate: ${c.title}`)}::${data(`${c.measured}${c.how ? ` → ${c.how}` : ''}`)}`);
    for (const a of c.annotations ?? []) lines.push(`::error file=${prop(a.file)}${a.line ? `,line=${a.line}` : ''},title=${prop(c.title)}::${data(a.message)}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
// Escaping as GitHub's toolkit does (core/command.ts): data escapes %, CR, LF; properties also : and ,.
const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
