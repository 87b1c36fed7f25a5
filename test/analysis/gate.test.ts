import { describe, expect, it } from 'vitest';
import { resolveMigrations } from '../../src/actions/migrations/config.js';
import { evaluateGate, isGated } from '../../src/actions/migrations/gate.js';
import { summarize, type MigrationClass, type MigrationResult } from '../../src/analysis/index.js';
import { loadedRunbook } from './runbook-helpers.js';

const mig = (id: string, cls: MigrationClass): MigrationResult => ({ id, file: `${id}.sql`, tool: 'sql', dialect: 'postgres', class: cls, statements: [], findings: [] });
const cfg = (migrations: Record<string, unknown>) => resolveMigrations(loadedRunbook('/proj', { migrations: { tool: 'sql', dir: 'migrations', ...migrations } }));

describe('gate (pure)', () => {
  it('fail-on thresholds: breaking includes unknown; never gates nothing', () => {
    expect(['none', 'additive', 'unknown', 'breaking'].map((c) => isGated(c as MigrationClass, 'breaking'))).toEqual([false, false, true, true]);
    expect(['none', 'additive', 'unknown', 'breaking'].map((c) => isGated(c as MigrationClass, 'unknown'))).toEqual([false, false, true, false]);
    expect(['none', 'additive', 'unknown', 'breaking'].map((c) => isGated(c as MigrationClass, 'additive'))).toEqual([false, true, true, true]);
    expect(['none', 'additive', 'unknown', 'breaking'].map((c) => isGated(c as MigrationClass, 'never'))).toEqual([false, false, false, false]);
  });

  it('an unknown migration is gated like a breaking one (needs the approval)', () => {
    const v = evaluateGate(summarize([mig('001', 'unknown')]), cfg({ require: { 'approval-role': 'dba' } }), 'breaking', () => false);
    expect(v.status).toBe('inconclusive');
    expect(v.decideRole).toBe('dba');
  });

  it('breaking-plan: false makes any gated migration fail outright', () => {
    const v = evaluateGate(summarize([mig('001', 'breaking')]), cfg({ rollout: 'staged', plan: 'plan.md', require: { 'breaking-plan': false } }), 'breaking', () => true);
    expect(v.status).toBe('failed');
    expect(v.checks[0]).toMatchObject({ name: 'no-breaking-migrations', passed: false, measured: '001 (breaking)' });
  });

  it('migration-plan and rollback-plan are required only when something changes the schema', () => {
    const c = cfg({ require: { 'migration-plan': 'docs/m.md', 'rollback-plan': 'docs/r.md' } });
    expect(evaluateGate(summarize([mig('001', 'none')]), c, 'breaking', () => false).status).toBe('passed');
    const v = evaluateGate(summarize([mig('001', 'additive')]), c, 'breaking', (p) => p.endsWith('m.md'));
    expect(v.status).toBe('failed');
    expect(v.summary).toContain('missing: write docs/r.md');
    expect(v.checks.map((x) => [x.name, x.passed])).toEqual([['migration-plan', true], ['rollback-plan', false]]);
  });

  it('a missing plan wins over the approval: the file is named, the run does not wait', () => {
    const v = evaluateGate(summarize([mig('001', 'breaking')]), cfg({ require: { 'approval-role': 'dba', 'rollback-plan': 'r.md' } }), 'breaking', () => false);
    expect(v.status).toBe('failed');
    expect(v.summary).toContain('missing: write r.md');
  });
});
