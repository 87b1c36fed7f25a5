/** The expression language of `${{ }}` (see context.ts for what it can read). */
export type { ExprAst } from './ast.js';
export type { ExpressionContext, ExprValue, QuoteMode } from './context.js';
export { parseExpression } from './parse.js';
export { evaluateExpression, isTruthy, toText } from './evaluate.js';
export { interpolate, interpolateData, evaluateCondition } from './interpolate.js';
export { findReferences, findExpressionReferences, type ExpressionReference } from './references.js';
export { shellQuote } from './shell-quote.js';
export { scanTemplate, hasExpression } from './template.js';
