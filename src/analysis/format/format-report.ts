import { unreachable } from '../../core/unreachable.js';
import type { LintReport } from '../types.js';
import { formatMarkdown } from './format-markdown.js';
import { formatSarif } from './format-sarif.js';
import { formatText } from './format-text.js';

export type ReportFormat = 'text' | 'json' | 'sarif' | 'markdown';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif', 'markdown'];

/** Render a lint report. JSON is the report object itself, with a format tag. */
export function formatReport(report: LintReport, format: ReportFormat, version: string): string {
  switch (format) {
    case 'text':
      return formatText(report);
    case 'json':
      // Compact: large reports stay small in memory; pipe through jq to read it.
      return `${JSON.stringify({ format: 'shipgate.migrations.lint/1', ...report })}\n`;
    case 'sarif':
      return formatSarif(report, { version });
    case 'markdown':
      return formatMarkdown(report);
    default:
      return unreachable(format);
  }
}
