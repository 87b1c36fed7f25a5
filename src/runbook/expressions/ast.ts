/** Syntax tree of an expression. Immutable; `offset` is where the node starts in the source. */
export type ExprAst =
  | { readonly type: 'literal'; readonly value: string | number | boolean | null; readonly offset: number }
  | { readonly type: 'ident'; readonly name: string; readonly offset: number }
  | { readonly type: 'member'; readonly object: ExprAst; readonly property: ExprAst; readonly offset: number }
  | { readonly type: 'not'; readonly operand: ExprAst; readonly offset: number }
  | { readonly type: 'binary'; readonly op: BinaryOp; readonly left: ExprAst; readonly right: ExprAst; readonly offset: number }
  | { readonly type: 'call'; readonly name: string; readonly args: readonly ExprAst[]; readonly offset: number };

export type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

/** The roots an expression may start from (see context.ts). */
export const EXPRESSION_ROOTS = ['vars', 'env', 'secrets', 'steps', 'run', 'release', 'environment'] as const;

/** Functions the evaluator knows, with their arity [min, max]. */
export const EXPRESSION_FUNCTIONS: Readonly<Record<string, readonly [number, number]>> = {
  contains: [2, 2],
  startsWith: [2, 2],
  endsWith: [2, 2],
  format: [1, 32],
  join: [1, 2],
  toJSON: [1, 1],
  raw: [1, 1],
};
