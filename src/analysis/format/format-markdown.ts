import type { LintReport } from '../types.js';
import { countsLine, summaryRows } from './summary-rows.js';

/** A markdown report for a pull-request comment or a change ticket. */
export function formatMarkdown(report: LintReport): string {
  const out: string[] = ['## Migration safety', '', `**${countsLine(report.counts, report.migrations.length)}** — overall: \`${report.class}\` (unknown counts as breaking)`, ''];
  out.push('| migration | class | compatibility | data | lock | input | guarded |', '|---|---|---:|---:|---:|---:|---:|');
  for (const r of summaryRows(report.migrations)) out.push(`| \`${esc(r.id)}\` | ${r.class} | ${r.compatibility} | ${r.data} | ${r.lock} | ${r.input} | ${r.guarded} |`);
  for (const m of report.migrations) {
    if (m.findings.length === 0) continue;
    out.push('', `### \`${esc(m.id)}\` — ${m.class}`, '');
    for (const f of m.findings) {
      const guard = f.guarded ? ` _(guarded by \`${esc(f.condition ?? '')}\`)_` : '';
      out.push(`- **${f.severity}** \`${f.rule}\` (${f.axis}) at \`${esc(f.file)}:${f.line}:${f.col}\`: ${esc(f.reason)}${guard}`, `  - safe: ${esc(f.safe)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function esc(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/`/g, "'");
}
