import { suggestion } from '../did-you-mean.js';
import { EXPRESSION_ROOTS } from '../expressions/ast.js';
import { parseExpression } from '../expressions/parse.js';
import { referencesOfAst, type ExpressionReference } from '../expressions/references.js';
import { hasExpression, scanTemplate } from '../expressions/template.js';
import type { StepEntry } from '../step-graph.js';
import type { DataPath } from '../yaml-locate.js';
import { asRecord, asString, type Rule, type RuleContext } from './rule.js';

/** What `run.*`, `release.*`, `environment.*` and `steps.ID.*` offer (context.ts). */
const FIXED: Readonly<Record<string, readonly string[]>> = { run: ['id'], release: ['version'], environment: ['name'] };
const STEP_FIELDS = ['outputs', 'status'];

/**
 * bad-expression (a `${{ }}` that does not parse, anywhere in the file) and unknown-reference
 * (a name that cannot resolve: unknown root, vars/secrets defined in no environment, a step that
 * does not exist or is not certain to have finished before this one).
 */
export const expressionsRule: Rule = {
  name: 'expressions',
  check(ctx) {
    const stepAt = new Map(ctx.steps.map((s) => [s.path.join('/'), s]));
    const known = knownNames(ctx);
    // Steps sit at depth 3 (rollback.steps[i]) or 4 (phases[p].steps[i]): look up only there.
    const depths = new Set(ctx.steps.map((s) => s.path.length));
    const visit = (v: unknown, path: DataPath, step: StepEntry | undefined): void => {
      if (typeof v === 'string') checkString(ctx, v, path, step, known);
      else if (v !== null && typeof v === 'object') {
        const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
        for (const [k, x] of entries) {
          const p = [...path, k];
          visit(x, p, step ?? (depths.has(p.length) ? stepAt.get(p.join('/')) : undefined));
        }
      }
    };
    visit(ctx.data, [], undefined);
  },
};

interface KnownNames {
  readonly vars: Set<string>;
  readonly secrets: Set<string>;
}

function knownNames(ctx: RuleContext): KnownNames {
  const vars = new Set<string>();
  const secrets = new Set<string>();
  for (const env of Object.values(asRecord(ctx.data.environments) ?? {})) {
    for (const k of Object.keys(asRecord(asRecord(env)?.vars) ?? {})) vars.add(k);
    const list = asRecord(env)?.secrets;
    if (Array.isArray(list)) for (const s of list) {
      const name = asString(s) ?? asString(asRecord(s)?.name);
      if (name) secrets.add(name);
    }
  }
  return { vars, secrets };
}

function checkString(ctx: RuleContext, text: string, path: DataPath, step: StepEntry | undefined, known: KnownNames): void {
  const isIf = step !== undefined && path.length === step.path.length + 1 && path[path.length - 1] === 'if';
  const refs: ExpressionReference[] = [];
  if (isIf && !hasExpression(text)) {
    // `if:` may be a bare expression, as in GitHub.
    const ast = parseExpression(text);
    if (!ast.ok) return void ctx.report({ code: 'bad-expression', path, offset: ast.error.offset, message: `bad expression in if: ${ast.error.message}` });
    refs.push(...referencesOfAst(ast.value));
  } else {
    if (!hasExpression(text)) return;
    if (path[0] === 'environments' && path[2] === 'vars') {
      // vars are plain values, read as written: an expression there would reach a script as
      // the literal text `${{ release.version }}`.
      return void ctx.report({ code: 'bad-expression', path, message: 'vars are plain values: ${{ }} is not expanded here', hint: 'use the expression where the value is used, e.g. in the step\'s env: or run:' });
    }
    const scanned = scanTemplate(text);
    if (!scanned.ok) return void ctx.report({ code: 'bad-expression', path, offset: scanned.error.offset, message: `bad expression: ${scanned.error.message}` });
    if (isIf && scanned.value.some((seg) => seg.kind === 'text' && seg.text.trim() !== '')) {
      // `if: ${{ vars.X }} == 'y'` is text after interpolation, and any non-empty text is true:
      // the condition would always hold (a known GitHub Actions trap).
      ctx.report({ code: 'bad-expression', path, message: 'if: mixes text and ${{ }}, so it is always true; put the whole condition inside one ${{ }} or write it bare' });
    }
    for (const seg of scanned.value) {
      if (seg.kind !== 'expr') continue;
      const ast = parseExpression(seg.src);
      if (!ast.ok) {
        ctx.report({ code: 'bad-expression', path, offset: seg.offset + ast.error.offset, message: `bad expression "\${{${seg.src}}}": ${ast.error.message}` });
        continue;
      }
      refs.push(...referencesOfAst(ast.value, seg.offset));
    }
  }
  for (const ref of refs) {
    const problem = checkReference(ctx, ref, step, known);
    if (problem) ctx.report({ code: 'unknown-reference', path, offset: ref.offset, message: problem });
  }
}

// Steps read by many references: compute each step's readable set once per validation.
const readableCache = new WeakMap<StepEntry, Set<string>>();
function readableFrom(ctx: RuleContext, step: StepEntry): Set<string> {
  let set = readableCache.get(step);
  if (!set) readableCache.set(step, (set = ctx.graph.readable(step)));
  return set;
}

function checkReference(ctx: RuleContext, ref: ExpressionReference, step: StepEntry | undefined, known: KnownNames): string | undefined {
  const [first, second] = ref.path;
  const dotted = [ref.root, ...ref.path].join('.');
  switch (ref.root) {
    case 'env':
      return undefined; // the step's environment is only known at run time
    case 'vars':
      if (first === undefined || known.vars.has(first)) return undefined;
      return `${dotted}: no environment defines var "${first}"${suggestion(first, known.vars)}`;
    case 'secrets':
      if (first === undefined || known.secrets.has(first)) return undefined;
      return `${dotted}: no environment lists secret "${first}"${suggestion(first, known.secrets)}`;
    case 'run':
    case 'release':
    case 'environment': {
      const fields = FIXED[ref.root]!;
      if (first === undefined || fields.includes(first)) return undefined;
      return `${dotted}: ${ref.root} has only ${fields.map((f) => `${ref.root}.${f}`).join(', ')}${suggestion(first, fields)}`;
    }
    case 'steps': {
      if (first === undefined) return undefined;
      if (!step) return `${dotted}: step outputs are available only inside steps`;
      const target = ctx.graph.byId.get(first);
      if (!target) return `${dotted}: no step "${first}"${suggestion(first, ctx.graph.byId.keys())}`;
      if (second !== undefined && !STEP_FIELDS.includes(second)) return `${dotted}: a step has ${STEP_FIELDS.map((f) => `steps.${first}.${f}`).join(', ')}${suggestion(second, STEP_FIELDS)}`;
      if (target === step) return `${dotted}: step "${first}" cannot read its own outputs`;
      if (!readableFrom(ctx, step).has(first)) {
        return `${dotted}: step "${first}" is not certain to have finished before "${step.id ?? '?'}"; add "${first}" to its needs`;
      }
      return undefined;
    }
    default:
      return `unknown name "${ref.root}" in expression (known: ${EXPRESSION_ROOTS.join(', ')})${suggestion(ref.root, EXPRESSION_ROOTS)}`;
  }
}
