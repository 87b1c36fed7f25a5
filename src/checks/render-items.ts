import type { CheckItem } from './result.js';

/** Expected vs measured, one row per item. Shared by every check's human output. */
export function renderItemsTable(items: readonly CheckItem[]): string {
  const rows = [['', 'check', 'expected', 'measured']];
  for (const i of items) rows.push([i.passed ? 'ok' : 'FAIL', i.name, i.expected ?? '', `${i.measured ?? ''}${i.ms !== undefined ? ` (${i.ms}ms)` : ''}`]);
  return `${formatRows(rows)}\n`;
}

/** Pads columns to their widest cell (capped at 60 characters). */
export function formatRows(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.min(60, Math.max(...rows.map((r) => (r[c] ?? '').length))));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.slice(0, 60).padEnd(widths[c]!))).join('  ').trimEnd()).join('\n');
}
