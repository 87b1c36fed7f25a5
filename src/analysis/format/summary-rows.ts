import type { MigrationResult } from '../types.js';

/** Per-migration counts used by the text and markdown tables. */
export interface SummaryRow {
  readonly id: string;
  readonly class: string;
  readonly compatibility: number;
  readonly data: number;
  readonly lock: number;
  readonly input: number;
  readonly guarded: number;
}

export function summaryRows(ms: readonly MigrationResult[]): SummaryRow[] {
  return ms.map((m) => {
    const n = (axis: string): number => m.findings.filter((f) => f.axis === axis).length;
    return { id: m.id, class: m.class, compatibility: n('compatibility'), data: n('data'), lock: n('lock'), input: n('input'), guarded: m.findings.filter((f) => f.guarded).length };
  });
}

/** "95 migrations: 15 breaking, 8 unknown, 72 additive, 0 none". */
export function countsLine(counts: Readonly<Record<string, number>>, total: number): string {
  return `${total} migration${total === 1 ? '' : 's'}: ${counts.breaking ?? 0} breaking, ${counts.unknown ?? 0} unknown, ${counts.additive ?? 0} additive, ${counts.none ?? 0} none`;
}
