/**
 * The data the migration analyzer produces. Everything here is plain, serialisable data: the
 * JSON output format prints these objects as they are.
 */

/** SQL dialect of a migration's statements. */
export type Dialect = 'postgres' | 'sqlite' | 'mysql';

/** Migration tool whose file layout and bookkeeping we read. */
export type MigrationTool = 'sql' | 'prisma' | 'alembic';

/**
 * Class of a statement or migration.
 * - `none`: no schema or data change (BEGIN, SET, COMMENT …)
 * - `additive`: backward-compatible (new table, nullable column, index …)
 * - `breaking`: the running old version may fail (drop, rename, type change …)
 * - `unknown`: could not be analysed (syntax error, opaque code): treated as breaking by the gate
 */
export type MigrationClass = 'none' | 'additive' | 'breaking' | 'unknown';

/** The three axes a finding is judged on, kept apart; `input` is for diagnostics about the file itself. */
export type Axis = 'compatibility' | 'data' | 'lock' | 'input';

export type Severity = 'error' | 'warning' | 'info';

/** A position in a file; 1-based line and column (columns count UTF-16 code units). */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** One rule hit. `rule` is a stable name from the catalogue (rules.ts). */
export interface Finding extends SourceLocation {
  readonly rule: string;
  readonly axis: Axis;
  readonly severity: Severity;
  /** The class this finding gives its statement (at least). */
  readonly class: MigrationClass;
  /** One line: what was found, naming the object. */
  readonly reason: string;
  /** The safe alternative (expand/contract steps). */
  readonly safe: string;
  /** True when the statement sits under an `if` in an Alembic revision (or a plpgsql IF). */
  readonly guarded?: boolean;
  /** The guarding condition, as written. */
  readonly condition?: string;
}

/** One analysed statement (SQL statement or Alembic `op.*` call). */
export interface StatementResult extends SourceLocation {
  /** What kind of statement: `AlterTableStmt`, `op.add_column`, `alter`… (parser vocabulary). */
  readonly kind: string;
  /** The statement's text, abbreviated to one line of at most 120 characters. */
  readonly text: string;
  readonly class: MigrationClass;
  readonly findings: readonly Finding[];
  readonly guarded?: boolean;
  readonly condition?: string;
}

/** One migration (a Prisma folder, an Alembic revision, a .sql file). */
export interface MigrationResult {
  /** Stable id: Prisma folder name, Alembic revision id, or the .sql file name without extension. */
  readonly id: string;
  /** The file analysed, as given (relative paths stay relative). */
  readonly file: string;
  readonly tool: MigrationTool;
  readonly dialect: Dialect;
  readonly class: MigrationClass;
  readonly statements: readonly StatementResult[];
  /** Every finding: statement findings plus migration-level ones (suspected rename, table rebuild …). */
  readonly findings: readonly Finding[];
  /** Alembic only: the revision this one follows. */
  readonly downRevision?: string | null;
}

/** The result of linting a set of migrations. */
export interface LintReport {
  readonly migrations: readonly MigrationResult[];
  /** The highest class over all migrations (`unknown` ranks just below `breaking`). */
  readonly class: MigrationClass;
  readonly counts: Readonly<Record<MigrationClass, number>>;
}

/** Rank used to combine classes: the worst wins. `unknown` is treated as breaking by the gate. */
export const CLASS_RANK: Readonly<Record<MigrationClass, number>> = { none: 0, additive: 1, unknown: 2, breaking: 3 };

/** The worse of two classes. */
export function worseClass(a: MigrationClass, b: MigrationClass): MigrationClass {
  return CLASS_RANK[a] >= CLASS_RANK[b] ? a : b;
}
