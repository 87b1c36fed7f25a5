import { describe, expect, it } from 'vitest';
import { RULE_NAMES, type Dialect, type MigrationClass, type MigrationTool } from '../../src/analysis/index.js';
import { analyzeFixture, findingKeys } from './fixture-helpers.js';

interface Case {
  readonly file: string;
  readonly tool?: MigrationTool;
  readonly dialect: Dialect;
  readonly class: MigrationClass;
  /** Exactly these findings (`rule@line:col`), no more, no fewer. */
  readonly findings: readonly string[];
}

// One fixture (or more) per rule, per dialect, and for Alembic. Expectations are exact.
const CASES: readonly Case[] = [
  // ── Postgres ──
  { file: 'postgres/drop-table.sql', dialect: 'postgres', class: 'breaking', findings: ['drop-table@1:1'] },
  { file: 'postgres/drop-column.sql', dialect: 'postgres', class: 'breaking', findings: ['drop-column@1:1'] },
  { file: 'postgres/rename-table.sql', dialect: 'postgres', class: 'breaking', findings: ['rename-table@1:1'] },
  { file: 'postgres/rename-column.sql', dialect: 'postgres', class: 'breaking', findings: ['rename-column@1:1'] },
  { file: 'postgres/change-column-type.sql', dialect: 'postgres', class: 'breaking', findings: ['change-column-type@2:1', 'type-change-rewrite@2:1'] },
  { file: 'postgres/narrowing-type.sql', dialect: 'postgres', class: 'breaking', findings: ['change-column-type@1:1', 'narrowing-type@1:1', 'type-change-rewrite@1:1'] },
  { file: 'postgres/add-required-column.sql', dialect: 'postgres', class: 'breaking', findings: ['add-required-column@1:1'] },
  { file: 'postgres/drop-not-null.sql', dialect: 'postgres', class: 'breaking', findings: ['drop-not-null@1:1'] },
  { file: 'postgres/set-not-null.sql', dialect: 'postgres', class: 'breaking', findings: ['set-not-null@1:1'] },
  { file: 'postgres/drop-default.sql', dialect: 'postgres', class: 'breaking', findings: ['drop-default@1:1'] },
  { file: 'postgres/drop-type.sql', dialect: 'postgres', class: 'breaking', findings: ['change-column-type@4:1', 'drop-type@7:1', 'rename-type@5:1', 'rename-type@6:1', 'type-change-rewrite@4:1'] },
  { file: 'postgres/rename-enum-value.sql', dialect: 'postgres', class: 'breaking', findings: ['rename-enum-value@1:1'] },
  { file: 'postgres/enum-add-value.sql', dialect: 'postgres', class: 'additive', findings: [] },
  { file: 'postgres/primary-key-change.sql', dialect: 'postgres', class: 'breaking', findings: ['primary-key-change@1:1', 'primary-key-change@2:1'] },
  { file: 'postgres/unique-constraint-change.sql', dialect: 'postgres', class: 'breaking', findings: ['drop-index-not-concurrent@3:1', 'unique-constraint-change@1:1', 'unique-constraint-change@2:1', 'unique-constraint-change@3:1', 'unique-on-existing-column@1:1'] },
  { file: 'postgres/unique-on-existing-column.sql', dialect: 'postgres', class: 'breaking', findings: ['unique-on-existing-column@1:1'] },
  { file: 'postgres/suspected-rename.sql', dialect: 'postgres', class: 'breaking', findings: ['drop-column@1:1', 'suspected-rename@2:1'] },
  { file: 'postgres/drop-object.sql', dialect: 'postgres', class: 'breaking', findings: ['drop-object@1:1', 'drop-object@2:1'] },
  { file: 'postgres/delete-rows.sql', dialect: 'postgres', class: 'breaking', findings: ['delete-rows@1:1'] },
  { file: 'postgres/truncate-table.sql', dialect: 'postgres', class: 'breaking', findings: ['truncate-table@1:1'] },
  { file: 'postgres/update-rows.sql', dialect: 'postgres', class: 'additive', findings: ['update-rows@1:1'] },
  { file: 'postgres/index-not-concurrent.sql', dialect: 'postgres', class: 'additive', findings: ['index-not-concurrent@1:1'] },
  { file: 'postgres/drop-index-not-concurrent.sql', dialect: 'postgres', class: 'additive', findings: ['drop-index-not-concurrent@1:1'] },
  { file: 'postgres/constraint-not-valid.sql', dialect: 'postgres', class: 'additive', findings: ['constraint-not-valid@1:1'] },
  { file: 'postgres/volatile-default.sql', dialect: 'postgres', class: 'additive', findings: ['volatile-default@1:1'] },
  { file: 'postgres/parse-error.sql', dialect: 'postgres', class: 'breaking', findings: ['drop-table@3:1', 'parse-error@2:6'] },
  { file: 'postgres/do-block.sql', dialect: 'postgres', class: 'breaking', findings: ['drop-column@5:9', 'drop-table@7:5', 'opaque-statement@8:5'] },
  { file: 'postgres/transaction.sql', dialect: 'postgres', class: 'breaking', findings: ['drop-column@2:1'] },
  { file: 'postgres/additive.sql', dialect: 'postgres', class: 'additive', findings: [] },
  { file: 'postgres/none.sql', dialect: 'postgres', class: 'none', findings: [] },
  { file: 'postgres/empty.sql', dialect: 'postgres', class: 'unknown', findings: ['empty-migration@1:1'] },
  { file: 'postgres/utf8-offsets.sql', dialect: 'postgres', class: 'breaking', findings: ['drop-column@3:1'] },
  // ── SQLite ──
  { file: 'sqlite/rebuild.sql', dialect: 'sqlite', class: 'unknown', findings: ['opaque-statement@9:1', 'sqlite-table-rebuild@9:1'] },
  { file: 'sqlite/breaking.sql', dialect: 'sqlite', class: 'breaking', findings: ['add-required-column@5:1', 'delete-rows@8:1', 'drop-column@2:1', 'drop-table@9:1', 'rename-column@3:1', 'rename-table@4:1', 'suspected-rename@5:1', 'unique-on-existing-column@7:1'] },
  { file: 'sqlite/additive.sql', dialect: 'sqlite', class: 'additive', findings: [] },
  { file: 'sqlite/parse-error.sql', dialect: 'sqlite', class: 'unknown', findings: ['parse-error@2:24'] },
  // ── MySQL ──
  { file: 'mysql/breaking.sql', dialect: 'mysql', class: 'breaking', findings: ['change-column-type@1:1', 'drop-column@10:1', 'drop-default@4:1', 'narrowing-type@1:1', 'primary-key-change@3:1', 'rename-column@2:1', 'rename-table@5:1', 'truncate-table@8:1', 'unique-constraint-change@6:1', 'unique-on-existing-column@6:1', 'update-rows@9:1'] },
  { file: 'mysql/additive.sql', dialect: 'mysql', class: 'additive', findings: [] },
  // ── Alembic ──
  { file: 'alembic/a1_breaking.py', tool: 'alembic', dialect: 'sqlite', class: 'breaking', findings: ['add-required-column@22:5', 'change-column-type@15:5', 'delete-rows@29:5', 'drop-column@14:5', 'drop-default@19:5', 'drop-not-null@17:5', 'drop-table@21:5', 'narrowing-type@15:5', 'primary-key-change@28:5', 'rename-column@18:5', 'rename-table@20:5', 'set-not-null@16:5', 'suspected-rename@22:5', 'truncate-table@30:5', 'unique-constraint-change@26:5', 'unique-on-existing-column@23:5', 'unique-on-existing-column@26:5'] },
  { file: 'alembic/a1_breaking.py', tool: 'alembic', dialect: 'postgres', class: 'breaking', findings: ['add-required-column@22:5', 'change-column-type@15:5', 'constraint-not-valid@27:5', 'delete-rows@29:5', 'drop-column@14:5', 'drop-default@19:5', 'drop-index-not-concurrent@25:5', 'drop-not-null@17:5', 'drop-table@21:5', 'index-not-concurrent@23:5', 'index-not-concurrent@24:5', 'narrowing-type@15:5', 'primary-key-change@28:5', 'rename-column@18:5', 'rename-table@20:5', 'set-not-null@16:5', 'suspected-rename@22:5', 'truncate-table@30:5', 'type-change-rewrite@15:5', 'unique-constraint-change@26:5', 'unique-on-existing-column@23:5', 'unique-on-existing-column@26:5'] },
  { file: 'alembic/a2_guarded.py', tool: 'alembic', dialect: 'sqlite', class: 'breaking', findings: ['add-required-column@13:9', 'drop-column@17:9', 'suspected-rename@13:9', 'update-rows@15:9'] },
  { file: 'alembic/a3_batch.py', tool: 'alembic', dialect: 'sqlite', class: 'breaking', findings: ['drop-column@11:9', 'set-not-null@12:9', 'sqlite-table-rebuild@10:10'] },
  { file: 'alembic/a3_batch.py', tool: 'alembic', dialect: 'postgres', class: 'breaking', findings: ['drop-column@11:9', 'index-not-concurrent@13:9', 'set-not-null@12:9'] },
  { file: 'alembic/a8_batch_add.py', tool: 'alembic', dialect: 'sqlite', class: 'additive', findings: ['sqlite-table-rebuild@10:10'] },
  { file: 'alembic/a8_batch_add.py', tool: 'alembic', dialect: 'postgres', class: 'additive', findings: [] },
  { file: 'alembic/a4_rename.py', tool: 'alembic', dialect: 'sqlite', class: 'breaking', findings: ['drop-column@11:5', 'suspected-rename@10:5'] },
  { file: 'alembic/a5_opaque.py', tool: 'alembic', dialect: 'sqlite', class: 'breaking', findings: ['drop-column@17:5', 'opaque-statement@11:5', 'unknown-operation@12:5'] },
  { file: 'alembic/a6_syntax_error.py', tool: 'alembic', dialect: 'sqlite', class: 'breaking', findings: ['drop-table@5:5', 'parse-error@4:13'] },
  { file: 'alembic/a7_additive.py', tool: 'alembic', dialect: 'postgres', class: 'additive', findings: [] },
  { file: 'alembic/helpers.py', tool: 'alembic', dialect: 'sqlite', class: 'unknown', findings: ['not-alembic-revision@1:1'] },
  // ── Prisma ──
  { file: 'prisma/20240301000000_drop_nickname/migration.sql', tool: 'prisma', dialect: 'postgres', class: 'breaking', findings: ['drop-column@6:1'] },
];

/** Rules whose fixtures are generated bytes (bad-input.test.ts), not files. */
const GENERATED = new Set(['not-utf8', 'binary-file', 'file-too-large']);

describe('rules catalogue fixtures', () => {
  for (const c of CASES) {
    it(`${c.file} (${c.dialect}) → ${c.class}: ${c.findings.join(', ') || 'no findings'}`, async () => {
      const m = await analyzeFixture(c.file, c.tool ?? 'sql', c.dialect);
      expect(findingKeys(m)).toEqual([...c.findings].sort());
      expect(m.class).toBe(c.class);
    });
  }

  it('every rule of the catalogue has a fixture case', () => {
    const covered = new Set(CASES.flatMap((c) => c.findings.map((f) => f.split('@')[0]!)));
    const missing = RULE_NAMES.filter((r) => !covered.has(r) && !GENERATED.has(r));
    expect(missing).toEqual([]);
  });

  it('every rule has a fixture in each SQL dialect where it applies', () => {
    const byDialect = (d: Dialect) => new Set(CASES.filter((c) => c.dialect === d && (c.tool ?? 'sql') !== 'alembic').flatMap((c) => c.findings.map((f) => f.split('@')[0]!)));
    const sqlite = ['drop-table', 'drop-column', 'rename-table', 'rename-column', 'add-required-column', 'unique-on-existing-column', 'delete-rows', 'suspected-rename', 'sqlite-table-rebuild', 'parse-error'];
    expect(sqlite.filter((r) => !byDialect('sqlite').has(r))).toEqual([]);
    const mysql = ['drop-column', 'rename-column', 'rename-table', 'change-column-type', 'narrowing-type', 'drop-default', 'primary-key-change', 'unique-constraint-change', 'truncate-table', 'update-rows'];
    expect(mysql.filter((r) => !byDialect('mysql').has(r))).toEqual([]);
  });
});

describe('guarded Alembic calls', () => {
  it('reports calls under if/elif/else with the condition text, not guessed away', async () => {
    const m = await analyzeFixture('alembic/a2_guarded.py', 'alembic', 'sqlite');
    const add = m.findings.find((f) => f.rule === 'add-required-column')!;
    expect(add).toMatchObject({ guarded: true, condition: '"stalled_at" not in cols' });
    const upd = m.findings.find((f) => f.rule === 'update-rows')!;
    expect(upd.condition).toBe('not ("stalled_at" not in cols) and bind.dialect.name == "postgresql"');
    const drop = m.findings.find((f) => f.rule === 'drop-column')!;
    expect(drop.condition).toBe('not ("stalled_at" not in cols) and not (bind.dialect.name == "postgresql")');
    // The unguarded add after the if is not flagged guarded.
    const note = m.statements.find((s) => s.text.includes('"note"'))!;
    expect(note.guarded).toBeUndefined();
    expect(m.downRevision).toBe('a1');
  });

  it('plpgsql IF in a DO block marks the statement guarded', async () => {
    const m = await analyzeFixture('postgres/do-block.sql', 'sql', 'postgres');
    expect(m.findings.find((f) => f.rule === 'drop-column')).toMatchObject({ guarded: true });
    expect(m.findings.find((f) => f.rule === 'drop-table')?.guarded).toBeUndefined();
  });
});

describe('findings carry reason and safe alternative', () => {
  it('each finding names the object and gives expand/contract steps', async () => {
    const m = await analyzeFixture('postgres/rename-column.sql', 'sql', 'postgres');
    const f = m.findings[0]!;
    expect(f.reason).toBe('renames column users.email to email_address');
    expect(f.safe).toMatch(/dual-write.*backfill.*switch reads/);
    expect(f).toMatchObject({ axis: 'compatibility', severity: 'error', class: 'breaking', file: 'postgres/rename-column.sql' });
  });
});
