import type { CheckRecord } from '../actions/action.js';
import type { RowCounts } from './types.js';

/**
 * Compares row counts of a restored copy with those recorded at backup time. Every difference
 * is named: a missing table, an extra table, a count that differs.
 */
export function compareRowCounts(expected: RowCounts, measured: RowCounts, ms: number): CheckRecord {
  const problems: string[] = [];
  for (const [t, n] of Object.entries(expected)) {
    if (!(t in measured)) problems.push(`table ${t} missing (expected ${n} rows)`);
    else if (measured[t] !== n) problems.push(`table ${t}: expected ${n} rows, restored copy has ${measured[t]}`);
  }
  for (const t of Object.keys(measured)) if (!(t in expected)) problems.push(`table ${t} not recorded at backup time`);
  return {
    name: 'row-counts',
    passed: problems.length === 0,
    expected: `${Object.keys(expected).length} tables, ${sum(expected)} rows`,
    measured: `${Object.keys(measured).length} tables, ${sum(measured)} rows`,
    ms,
    details: problems.length ? { problems } : { tables: Object.keys(expected).length },
  };
}

const sum = (c: RowCounts): number => Object.values(c).reduce((a, b) => a + b, 0);
