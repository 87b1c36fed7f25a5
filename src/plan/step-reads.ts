import type { ExprAst } from '../runbook/expressions/ast.js';
import { parseExpression } from '../runbook/expressions/parse.js';
import { referencesOfAst } from '../runbook/expressions/references.js';
import { hasExpression, scanTemplate, soleExpression } from '../runbook/expressions/template.js';
import type { PlannedStep } from './plan.js';

/** A context path a step's expressions read, e.g. `steps.backup.outputs.id` → root `steps`, path `[backup, outputs, id]`. */
export interface StepRead {
  readonly root: string;
  readonly path: readonly string[];
  /** Read by the step's `if:` (a condition decides what an absent value means by itself). */
  readonly inCondition: boolean;
  /** On the left of `|| 'literal'`: the expression has a fallback for an absent value. */
  readonly hasFallback: boolean;
}

/**
 * Everything a planned step's expressions read: its `if:` (bare or `${{ }}`-wrapped, as
 * evaluateCondition reads it), `run:`, `with:`, `env:` and the text an approver reads.
 * Expressions that do not parse are skipped (validation reports them).
 */
export function stepReads(step: PlannedStep): StepRead[] {
  const out: StepRead[] = [];
  if (step.if !== null) for (const ast of conditionAsts(step.if)) collect(ast, true, false, out);
  for (const text of strings([step.run, step.with, step.env, step.manual?.instructions, step.manual?.checklist])) {
    for (const ast of templateAsts(text)) collect(ast, false, false, out);
  }
  return out;
}

/** The expressions of an `if:` the way evaluateCondition reads it. */
function conditionAsts(ifText: string): ExprAst[] {
  const sole = soleExpression(ifText);
  if (sole) return parsed(sole.src);
  return hasExpression(ifText) ? templateAsts(ifText) : parsed(ifText);
}

function templateAsts(text: string): ExprAst[] {
  const scanned = scanTemplate(text);
  if (!scanned.ok) return [];
  return scanned.value.flatMap((seg) => (seg.kind === 'expr' ? parsed(seg.src) : []));
}

function parsed(src: string): ExprAst[] {
  const ast = parseExpression(src);
  return ast.ok ? [ast.value] : [];
}

function collect(node: ExprAst, inCondition: boolean, hasFallback: boolean, out: StepRead[]): void {
  switch (node.type) {
    case 'binary':
      if (node.op === '||') {
        // Only a literal counts as a fallback: `a || env.UNSET` can be as empty as `a`.
        collect(node.left, inCondition, hasFallback || isNonEmptyLiteral(node.right), out);
        collect(node.right, inCondition, hasFallback, out);
      } else if (node.op === '&&') {
        collect(node.left, inCondition, hasFallback, out);
        collect(node.right, inCondition, hasFallback, out);
      } else {
        // A comparison's operands are used as they are: `x == ''` is never a fallback for x.
        collect(node.left, inCondition, false, out);
        collect(node.right, inCondition, false, out);
      }
      return;
    case 'not':
      collect(node.operand, inCondition, false, out);
      return;
    case 'call':
      // `format('v{0}', release.version) || 'latest'` is never empty, so the fallback never
      // applies: the argument itself is needed.
      for (const a of node.args) collect(a, inCondition, false, out);
      return;
    default:
      for (const r of referencesOfAst(node)) out.push({ root: r.root, path: r.path, inCondition, hasFallback });
  }
}

function isNonEmptyLiteral(node: ExprAst): boolean {
  return node.type === 'literal' && node.value !== null && node.value !== '' && node.value !== false;
}

function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => strings(x, out));
  return out;
}
