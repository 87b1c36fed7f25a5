import { describe, expect, it } from 'vitest';
import type { RunEvidence } from '../../src/ledger/run-evidence.js';
import { rollbackInfo } from '../../src/plan/rollback-info.js';
import { renderRunMarkdown } from '../../src/report/run-md.js';
import { sampleRun } from '../support/store-fixtures.js';

const evidenceOf = (planJson: string, release: string | null): RunEvidence =>
  ({ run: sampleRun('r-rb', { planJson, release }), steps: [], approvals: [], entries: [], chain: [], anchor: null, ledgerHead: null, artifacts: [] }) satisfies RunEvidence;

describe('a rollback run in run.md, status and runs', () => {
  it('shows the reason and the rolled-back run beside the release', () => {
    const plan = JSON.stringify({ steps: [], purpose: 'rollback', reason: 'P1: 500s', priorRun: { id: 'r-rel', startedAt: 'x', release: '1.4.0', steps: {} } });
    expect(rollbackInfo(plan)).toEqual({ purpose: 'rollback', reason: 'P1: 500s', of: 'r-rel' });
    const md = renderRunMarkdown(evidenceOf(plan, '1.4.0'));
    expect(md).toContain('| Release | 1.4.0 |');
    expect(md).toContain('| Rollback | of run r-rel: P1: 500s |');
  });

  it('renders a rollback recorded before the reason had its own field exactly as then (its exported bundle still verifies)', () => {
    const legacy = JSON.stringify({ steps: [], purpose: 'rollback' });
    expect(rollbackInfo(legacy)).toEqual({ purpose: 'rollback', reason: null, of: null });
    const md = renderRunMarkdown(evidenceOf(legacy, 'rollback: P1'));
    expect(md).toContain('| Release | rollback: P1 |');
    expect(md).not.toContain('| Rollback |');
  });

  it('is nothing for a release run, or a plan that does not parse', () => {
    expect(rollbackInfo('{"steps":[]}')).toBeUndefined();
    expect(rollbackInfo('x'.repeat(20))).toBeUndefined();
  });
});
