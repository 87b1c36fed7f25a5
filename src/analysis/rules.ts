import type { Axis, MigrationClass, Severity } from './types.js';

/** A rule of the catalogue: what it judges and what to do instead. */
export interface RuleSpec {
  readonly axis: Axis;
  readonly severity: Severity;
  /** Class a statement gets (at least) when this rule fires. */
  readonly class: MigrationClass;
  /** One line for docs: what the rule detects. */
  readonly summary: string;
  /** The safe alternative: expand/contract steps, or what to do. */
  readonly safe: string;
}

const EXPAND_CONTRACT =
  'expand/contract: add the new shape → dual-write old and new → backfill → switch reads → stop writing the old → drop the old in a later release';

/**
 * Every rule shipgate's migration analyzer can report. The names are stable (scripts, SARIF and
 * `fail-on` refer to them); docs/migrations.md is checked against this table by a test.
 */
export const RULES = {
  // ── compatibility: does the running old version break? ───────────────────────────────
  'drop-table': { axis: 'compatibility', severity: 'error', class: 'breaking', summary: 'DROP TABLE: the running version still reads and writes it.', safe: `Stop using the table in a release first; drop it in a later release (${EXPAND_CONTRACT}).` },
  'drop-column': { axis: 'compatibility', severity: 'error', class: 'breaking', summary: 'DROP COLUMN: the running version still selects or inserts it.', safe: `Release code that no longer reads or writes the column (ORM: mark it ignored), then drop it in a later release (${EXPAND_CONTRACT}).` },
  'rename-table': { axis: 'compatibility', severity: 'error', class: 'breaking', summary: 'Table rename: queries of the running version use the old name.', safe: `Create the new table (or a view with the new name), dual-write, backfill, switch reads, then drop the old (${EXPAND_CONTRACT}).` },
  'rename-column': { axis: 'compatibility', severity: 'error', class: 'breaking', summary: 'Column rename: queries of the running version use the old name.', safe: `Add the new column, dual-write, backfill, switch reads, stop writing the old, drop it later (${EXPAND_CONTRACT}).` },
  'change-column-type': { axis: 'compatibility', severity: 'error', class: 'breaking', summary: 'Column type change: the running version may send or expect the old type.', safe: `Add a column of the new type, dual-write, backfill, switch reads, drop the old column later (${EXPAND_CONTRACT}).` },
  'add-required-column': { axis: 'compatibility', severity: 'error', class: 'breaking', summary: 'NOT NULL column without a default: fails on existing rows, and inserts of the running version omit it.', safe: 'Add the column nullable (or with a default), backfill, release code that writes it, then SET NOT NULL (with a NOT VALID check constraint first on Postgres).' },
  'drop-not-null': { axis: 'compatibility', severity: 'warning', class: 'breaking', summary: 'DROP NOT NULL: readers of the running version may not expect NULL.', safe: 'Release readers that handle NULL first, then relax the constraint.' },
  'drop-default': { axis: 'compatibility', severity: 'warning', class: 'breaking', summary: 'DROP DEFAULT: inserts of the running version may rely on the default.', safe: 'Release code that always writes the column, then drop the default.' },
  'drop-type': { axis: 'compatibility', severity: 'error', class: 'breaking', summary: 'DROP TYPE (e.g. an enum swapped for a new one): values may be removed or renamed under the running version.', safe: `Only add enum values; to remove one, stop writing it, migrate rows, then swap the type in a later release (${EXPAND_CONTRACT}).` },
  'rename-type': { axis: 'compatibility', severity: 'warning', class: 'breaking', summary: 'Type rename: casts and functions of the running version use the old name.', safe: 'Create the new type beside the old one, move columns in stages, drop the old type later.' },
  'rename-enum-value': { axis: 'compatibility', severity: 'error', class: 'breaking', summary: 'Enum value rename: the running version writes and compares the old value.', safe: 'Add the new value, write both, migrate rows, stop using the old value, remove it later.' },
  'primary-key-change': { axis: 'compatibility', severity: 'error', class: 'breaking', summary: 'Primary key added, dropped or replaced on an existing table.', safe: 'Build a unique index CONCURRENTLY on the new key, then attach it (ADD PRIMARY KEY USING INDEX) in a window; keep the old key until no code depends on it.' },
  'unique-constraint-change': { axis: 'compatibility', severity: 'warning', class: 'breaking', summary: 'Unique constraint added or dropped: writes or ON CONFLICT clauses of the running version may fail.', safe: 'Deduplicate first; create the unique index CONCURRENTLY, then ADD CONSTRAINT … USING INDEX; drop old constraints only after no code relies on them.' },
  'suspected-rename': { axis: 'compatibility', severity: 'warning', class: 'breaking', summary: 'A column dropped and another added on the same table in one migration: often a rename (Alembic autogenerate emits renames this way) that loses the data.', safe: `If it is a rename, use expand/contract instead: ${EXPAND_CONTRACT}.` },
  'drop-object': { axis: 'compatibility', severity: 'warning', class: 'breaking', summary: 'DROP of a view, function, sequence, trigger or schema the running version may use.', safe: 'Stop using the object in one release, drop it in the next.' },
  // ── data risk: may fail or lose data on existing rows ──────────────────────────────────
  'set-not-null': { axis: 'data', severity: 'warning', class: 'breaking', summary: 'SET NOT NULL on an existing column: fails if any row holds NULL; the running version may still write NULL (and Postgres scans the table under an exclusive lock).', safe: 'Backfill NULLs; on Postgres add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL; release writers that never send NULL first.' },
  'unique-on-existing-column': { axis: 'data', severity: 'warning', class: 'breaking', summary: 'Unique index on an existing table: fails if duplicates exist.', safe: 'Find and merge duplicates first; build the index CONCURRENTLY (a failed build leaves an INVALID index to drop).' },
  'narrowing-type': { axis: 'data', severity: 'warning', class: 'breaking', summary: 'Type change to a bounded type (varchar(n), smallint, numeric(p,s) …): existing values may not fit and the change fails or truncates.', safe: 'Check max lengths/ranges in production first; add a new column, backfill with explicit conversion, switch.' },
  'delete-rows': { axis: 'data', severity: 'error', class: 'breaking', summary: 'DELETE in a migration: removes data as part of a schema change.', safe: 'Back up the rows (copy to an archive table), run deletes as a separate, reviewed data job in batches.' },
  'truncate-table': { axis: 'data', severity: 'error', class: 'breaking', summary: 'TRUNCATE in a migration: removes every row.', safe: 'Archive the rows first; run it as a separate, reviewed data job.' },
  'update-rows': { axis: 'data', severity: 'warning', class: 'additive', summary: 'UPDATE in a migration (a backfill): rewrites existing rows in one transaction.', safe: 'Backfill in batches outside the schema migration, idempotently, after the expand step.' },
  // ── lock risk: blocks traffic while it runs ─────────────────────────────────────────────
  'index-not-concurrent': { axis: 'lock', severity: 'warning', class: 'additive', summary: 'CREATE INDEX without CONCURRENTLY on an existing table: blocks writes for the whole build.', safe: 'CREATE INDEX CONCURRENTLY (outside a transaction; Prisma: a separate migration file).' },
  'drop-index-not-concurrent': { axis: 'lock', severity: 'info', class: 'additive', summary: 'DROP INDEX without CONCURRENTLY: takes an exclusive lock on the table.', safe: 'DROP INDEX CONCURRENTLY (outside a transaction).' },
  'type-change-rewrite': { axis: 'lock', severity: 'warning', class: 'breaking', summary: 'Column type change: most changes rewrite the table under an ACCESS EXCLUSIVE lock.', safe: 'Add a new column and backfill in batches instead of rewriting in place.' },
  'constraint-not-valid': { axis: 'lock', severity: 'warning', class: 'additive', summary: 'Foreign key or check constraint added to an existing table without NOT VALID: validates every row under lock.', safe: 'ADD CONSTRAINT … NOT VALID, then VALIDATE CONSTRAINT in a separate transaction.' },
  'volatile-default': { axis: 'lock', severity: 'warning', class: 'additive', summary: 'New column with a volatile default (random(), gen_random_uuid(), clock_timestamp() …): rewrites the whole table.', safe: 'Add the column without a default (or with a constant), set the default afterwards, backfill in batches.' },
  'sqlite-table-rebuild': { axis: 'lock', severity: 'warning', class: 'additive', summary: 'SQLite table rebuild (create new_x, copy, drop x, rename; Alembic batch mode): locks the database for the whole copy. A raw-SQL rebuild also hides which columns changed (an extra opaque-statement finding); in batch mode the batch_op calls are judged one by one.', safe: 'Run it in a maintenance window or against a copy; keep the change additive where SQLite allows (ADD COLUMN) and release readers first.' },
  // ── input: the file itself ──────────────────────────────────────────────────────────────
  'parse-error': { axis: 'input', severity: 'error', class: 'unknown', summary: 'The statement does not parse in the configured dialect.', safe: 'Fix the SQL or the dialect setting; until then the migration counts as breaking.' },
  'opaque-statement': { axis: 'input', severity: 'warning', class: 'unknown', summary: 'Code shipgate cannot see through (dynamic SQL, a variable passed to op.execute, an unmodelled statement).', safe: 'Write the SQL literally, or review it by hand and record an approval.' },
  'unknown-operation': { axis: 'input', severity: 'warning', class: 'unknown', summary: 'An Alembic op.* call shipgate does not model.', safe: 'Review by hand; report the operation so a rule can be added.' },
  'not-utf8': { axis: 'input', severity: 'error', class: 'unknown', summary: 'The file is not valid UTF-8.', safe: 'Re-save the file as UTF-8.' },
  'binary-file': { axis: 'input', severity: 'error', class: 'unknown', summary: 'The file is binary (holds NUL bytes).', safe: 'Remove it from the migrations folder or replace it with the SQL text.' },
  'file-too-large': { axis: 'input', severity: 'error', class: 'unknown', summary: 'The file exceeds the size cap and was not read.', safe: 'Split the migration, or raise the cap (maxBytes) if it is really meant to be that big.' },
  'empty-migration': { axis: 'input', severity: 'error', class: 'unknown', summary: 'The migration holds no statements.', safe: 'Delete the empty migration or add its statements; an empty file usually means a failed generation.' },
  'not-alembic-revision': { axis: 'input', severity: 'error', class: 'unknown', summary: 'A Python file in the versions folder that is not an Alembic revision (no revision id or no upgrade()).', safe: 'Move helper modules out of the versions folder.' },
} as const satisfies Record<string, RuleSpec>;

/** A rule name from the catalogue. */
export type RuleName = keyof typeof RULES;

/** All rule names, in catalogue order. */
export const RULE_NAMES = Object.keys(RULES) as RuleName[];
