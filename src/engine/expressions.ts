/** The engine evaluates `${{ }}` with the runbook's expression language (src/runbook/expressions). */
export { evaluateCondition, interpolate, interpolateData } from '../runbook/expressions/index.js';
