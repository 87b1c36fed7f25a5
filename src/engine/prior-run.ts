import type { RunId } from '../core/brand.js';
import { UserError } from '../core/errors.js';
import type { Plan, PlannedStep, PriorRun } from '../plan/plan.js';
import type { ExprAst } from '../runbook/expressions/ast.js';
import { parseExpression } from '../runbook/expressions/parse.js';
import { referencesOfAst } from '../runbook/expressions/references.js';
import { scanTemplate } from '../runbook/expressions/template.js';
import type { StateStore } from '../store/state-store.js';
import type { RunRecord, StepStatus } from '../store/records.js';

/** A forward step that a standalone rollback reads, and which rollback steps read it without a fallback. */
export interface ForwardRead {
  readonly step: string;
  readonly readBy: readonly string[];
  /** True when every read has a fallback (`steps.X.outputs.id || 'latest-verified'`). */
  readonly guarded: boolean;
}

/**
 * The forward steps whose outputs or status the rollback steps read (`steps.backup.outputs.id`).
 * In an automatic rollback those steps ran earlier in the same run; in `shipgate rollback` they
 * did not, so the values must come from an earlier run, or be empty. A read on the left of `||`
 * has a fallback and is marked guarded.
 */
export function forwardReads(rollbackSteps: readonly PlannedStep[]): ForwardRead[] {
  const own = new Set(rollbackSteps.map((s) => s.id as string));
  const reads = new Map<string, { readBy: Set<string>; unguarded: boolean }>();
  for (const step of rollbackSteps) {
    for (const { ast, condition } of stepExpressions(step)) {
      for (const r of stepReads(ast, condition ?? false)) {
        if (own.has(r.step)) continue;
        const entry = reads.get(r.step) ?? { readBy: new Set<string>(), unguarded: false };
        entry.readBy.add(step.id);
        entry.unguarded ||= !r.guarded;
        reads.set(r.step, entry);
      }
    }
  }
  return [...reads].map(([step, e]) => ({ step, readBy: [...e.readBy], guarded: !e.unguarded }));
}

const SATISFIED: ReadonlySet<StepStatus> = new Set(['passed', 'failed-continued', 'skipped']);

/**
 * The earlier run a standalone rollback reads forward steps' outputs from: `fromRun` when given
 * (it must be a run of the same runbook and environment), else the newest run of this runbook in
 * this environment in which one of those steps finished. Undefined when nothing is read or none
 * has them.
 */
export async function findPriorRun(store: StateStore, plan: Plan, reads: readonly ForwardRead[], fromRun?: RunId): Promise<PriorRun | undefined> {
  if (fromRun === undefined && reads.length === 0) return undefined;
  const wanted = new Set(reads.map((r) => r.step));
  let candidates: RunRecord[];
  if (fromRun !== undefined) {
    const run = await store.getRun(fromRun);
    if (!run) throw new UserError('SG_RUN_NOT_FOUND', `no run ${fromRun} in this state store`, 'list runs with: shipgate runs');
    if (run.runbookName !== plan.runbook.name || run.environment !== plan.environment) {
      throw new UserError(
        'SG_ROLLBACK_WRONG_RUN',
        `run ${fromRun} is a run of ${run.runbookName} in ${run.environment}, not of ${plan.runbook.name} in ${plan.environment}`,
        `list the runs of ${plan.environment} with: shipgate runs --env ${plan.environment}`,
      );
    }
    candidates = [run];
  } else {
    candidates = (await store.listRuns({ environment: plan.environment })).filter((r) => r.runbookName === plan.runbook.name);
  }
  for (const run of candidates) {
    const steps: Record<string, { outputs: Record<string, string>; status: string }> = {};
    for (const s of await store.getSteps(run.id)) {
      if (s.section === 'forward' && SATISFIED.has(s.status)) steps[s.stepId] = { outputs: { ...s.outputs }, status: s.status };
    }
    if (fromRun !== undefined || Object.keys(steps).some((id) => wanted.has(id))) return { id: run.id, startedAt: run.startedAt, steps };
  }
  return undefined;
}

/**
 * Refuses a standalone rollback that would read a forward step's output that no earlier run can
 * give and that has no fallback: it would stop the app and then fail on an empty input.
 */
export function refuseUnreadable(plan: Plan, reads: readonly ForwardRead[], prior: PriorRun | undefined): void {
  const missing = reads.filter((r) => !r.guarded && !(prior && r.step in prior.steps));
  if (missing.length === 0) return;
  const m = missing[0]!;
  throw new UserError(
    'SG_ROLLBACK_NEEDS_RUN',
    `rollback step ${m.readBy.join(', ')} reads steps.${m.step}, which a rollback on its own does not run, and no earlier run of ${plan.runbook.name} in ${plan.environment} finished step ${m.step}${missing.length > 1 ? ` (also: ${missing.slice(1).map((x) => x.step).join(', ')})` : ''}; nothing was run`,
    `name the release run to roll back with --from-run RUN (see: shipgate runs --env ${plan.environment}), or give the expression a fallback, e.g. \${{ steps.${m.step}.outputs.id || 'latest-verified' }}`,
  );
}

function* stepExpressions(step: PlannedStep): Generator<{ ast: ExprAst; condition?: true }> {
  if (step.if) {
    // A condition handles an absent step by design (`if: steps.deploy.status == 'passed'`).
    const ast = parseExpression(step.if);
    if (ast.ok) yield { ast: ast.value, condition: true };
  }
  const texts: string[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'string') texts.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  collect([step.run, step.with, step.env, step.manual?.instructions, step.manual?.checklist]);
  for (const t of texts) {
    const scanned = scanTemplate(t);
    if (!scanned.ok) continue;
    for (const seg of scanned.value) {
      if (seg.kind !== 'expr') continue;
      const ast = parseExpression(seg.src);
      if (ast.ok) yield { ast: ast.value };
    }
  }
}

/** `steps.ID…` reads in an expression; `guarded` when the read is the left side of an `||`. */
function stepReads(node: ExprAst, guarded: boolean): Array<{ step: string; guarded: boolean }> {
  switch (node.type) {
    case 'binary':
      if (node.op === '||') return [...stepReads(node.left, true), ...stepReads(node.right, guarded)];
      return [...stepReads(node.left, guarded), ...stepReads(node.right, guarded)];
    case 'not':
      return stepReads(node.operand, guarded);
    case 'call':
      return node.args.flatMap((a) => stepReads(a, guarded));
    default:
      return referencesOfAst(node)
        .filter((r) => r.root === 'steps' && r.path[0] !== undefined)
        .map((r) => ({ step: r.path[0]!, guarded }));
  }
}
