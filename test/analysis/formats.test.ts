import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { formatReport, lintMigrations, loadMigrationSources, renderRulesMarkdown, RULE_NAMES } from '../../src/analysis/index.js';
import { FIXTURES, getAnalyzer } from './fixture-helpers.js';

const SCHEMA = path.resolve(FIXTURES, '../sarif/sarif-2.1.0-rtm.5.json');
const DOCS = path.resolve(FIXTURES, '../../../docs/migrations.md');

async function report() {
  const sources = await loadMigrationSources({ cwd: FIXTURES, paths: ['postgres/rename-column.sql', 'postgres/do-block.sql', 'alembic/a2_guarded.py'], dialect: 'postgres' });
  return lintMigrations(await getAnalyzer(), sources);
}

describe('output formats', () => {
  it('SARIF validates against the official SARIF 2.1.0 schema', async () => {
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
    const sarif = JSON.parse(formatReport(await report(), 'sarif', '0.1.0'));
    const ok = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(sarif.runs[0].tool.driver.rules).toHaveLength(RULE_NAMES.length);
    const r = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'rename-column');
    expect(r.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'postgres/rename-column.sql' }, region: { startLine: 1, startColumn: 1 } });
    expect(r.level).toBe('error');
  });

  it('an invalid SARIF log is rejected by the same validator (the test can fail)', async () => {
    const ajv = new Ajv({ strict: false, unicodeRegExp: false });
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
    const sarif = JSON.parse(formatReport(await report(), 'sarif', '0.1.0'));
    sarif.runs[0].results[0].level = 'fatal';
    expect(validate(sarif)).toBe(false);
  });

  it('text: gcc-style lines, guarded condition, and the per-migration table', async () => {
    const text = formatReport(await report(), 'text', '0.1.0');
    expect(text).toContain('postgres/rename-column.sql:1:1: error: renames column users.email to email_address [rename-column, compatibility, breaking]');
    expect(text).toContain('alembic/a2_guarded.py:13:9: error: adds NOT NULL column jobs.stalled_at without a default (guarded by: "stalled_at" not in cols) [add-required-column, compatibility, breaking]');
    expect(text).toMatch(/^migration\s+class\s+compat\s+data\s+lock\s+input\s+guarded$/m);
    expect(text).toMatch(/^a2\s+breaking\s+3\s+1\s+0\s+0\s+4$/m);
    expect(text).toContain('3 migrations: 3 breaking, 0 unknown, 0 additive, 0 none (unknown counts as breaking)');
  });

  it('json: the report object with a format tag', async () => {
    const j = JSON.parse(formatReport(await report(), 'json', '0.1.0'));
    expect(j.format).toBe('shipgate.migrations.lint/1');
    expect(j.counts).toEqual({ none: 0, additive: 0, breaking: 3, unknown: 0 });
    expect(j.migrations[0].statements[0]).toMatchObject({ kind: 'RenameStmt', class: 'breaking', line: 1, col: 1 });
  });

  it('markdown: summary table and findings with the safe alternative', async () => {
    const md = formatReport(await report(), 'markdown', '0.1.0');
    expect(md).toContain('| `rename-column` | breaking | 1 | 0 | 0 | 0 | 0 |');
    expect(md).toContain('- **error** `rename-column` (compatibility) at `postgres/rename-column.sql:1:1`');
    expect(md).toContain('  - safe: Add the new column, dual-write');
  });

  it('docs/migrations.md carries the rules catalogue exactly as rules.ts renders it', () => {
    expect(readFileSync(DOCS, 'utf8')).toContain(renderRulesMarkdown());
  });
});
