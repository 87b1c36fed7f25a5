import type { Op } from '../ops.js';

/** A statement reduced to operations, with its char offset in the analysed text. */
export interface StatementOps {
  /** Char offset of the statement's first token in the file's text. */
  readonly start: number;
  readonly text: string;
  /** Parser vocabulary: `AlterTableStmt`, `alter`, `op.add_column` … */
  readonly kind: string;
  readonly ops: readonly Op[];
  /** Explicit 1-based position, when the front end knows it better than `start` (tree-sitter rows). */
  readonly line?: number;
  readonly col?: number;
  readonly guarded?: boolean;
  readonly condition?: string;
  /** The function or procedure this statement creates (Postgres `CREATE FUNCTION/PROCEDURE`). */
  readonly defines?: RoutineDef;
  /** Functions and procedures it calls (lower-case, unqualified names). */
  readonly calls?: readonly string[];
}

/** A function or procedure created by a migration. */
export interface RoutineDef {
  /** Lower-case, unqualified: calls are matched on it (a same-named routine in another schema matches too, on purpose). */
  readonly name: string;
  readonly kind: 'function' | 'procedure';
  readonly language: string;
  /** The body's statements (`LANGUAGE sql`); null when it cannot be analysed (another language). */
  readonly body: readonly StatementOps[] | null;
}
