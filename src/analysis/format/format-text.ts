import type { Finding, LintReport } from '../types.js';
import { countsLine, summaryRows } from './summary-rows.js';

export interface TextOptions {
  /** Print the safe alternative under each finding. Default: true. */
  readonly safe?: boolean;
}

/** One gcc-style line per finding (`file:line:col: severity: reason [rule]`), then a table per migration. */
export function formatText(report: LintReport, opts: TextOptions = {}): string {
  const out: string[] = [];
  for (const m of report.migrations) for (const f of m.findings) {
    out.push(findingLine(f));
    if (opts.safe !== false) out.push(`    safe: ${f.safe}`);
  }
  if (out.length) out.push('');
  const rows = summaryRows(report.migrations);
  const w = Math.max(9, ...rows.map((r) => r.id.length));
  out.push(`${'migration'.padEnd(w)}  class     compat  data  lock  input  guarded`);
  for (const r of rows) {
    out.push(`${r.id.padEnd(w)}  ${r.class.padEnd(8)}  ${pad(r.compatibility, 6)}  ${pad(r.data, 4)}  ${pad(r.lock, 4)}  ${pad(r.input, 5)}  ${pad(r.guarded, 7)}`);
  }
  out.push('', `${countsLine(report.counts, report.migrations.length)} (unknown counts as breaking)`);
  return `${out.join('\n')}\n`;
}

export function findingLine(f: Finding): string {
  const guard = f.guarded ? ` (guarded by: ${f.condition})` : '';
  return `${f.file}:${f.line}:${f.col}: ${f.severity}: ${f.reason}${guard} [${f.rule}, ${f.axis}, ${f.class}]`;
}

function pad(n: number, w: number): string {
  return String(n).padStart(w);
}
