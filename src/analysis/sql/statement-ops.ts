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
}
