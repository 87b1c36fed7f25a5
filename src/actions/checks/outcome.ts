import type { CheckResult } from '../../checks/result.js';
import type { ActionContext, ActionOutcome } from '../action.js';
import type { ArtifactRef } from '../../store/artifact-store.js';

/**
 * Turns a CheckResult into the step's outcome: every item becomes a CheckRecord, files become
 * artifacts, and the cause (when the check could not measure) is kept in `data`.
 */
export async function outcomeFromResult(r: CheckResult, ctx: ActionContext, outputs: Record<string, string> = {}): Promise<ActionOutcome> {
  const artifacts: ArtifactRef[] = [];
  for (const f of r.files ?? []) artifacts.push(await ctx.artifacts.put(`${ctx.stepId ?? r.kind}-${f.name}`, f.content, f.mediaType));
  for (const i of r.items) ctx.log(`${i.passed ? 'ok  ' : 'FAIL'} ${i.name}: expected ${i.expected ?? '-'}, measured ${i.measured ?? '-'}`);
  return {
    status: r.passed ? 'passed' : 'failed',
    summary: r.summary,
    outputs: { passed: String(r.passed), ms: String(Math.round(r.ms)), ...outputs },
    checks: r.items.map((i) => ({ ...i, name: `${r.kind} ${i.name}` })),
    artifacts,
    data: { kind: r.kind, target: r.target, passed: r.passed, ms: Math.round(r.ms), ...(r.attempts !== undefined && { attempts: r.attempts }), ...(r.cause && { cause: r.cause }) },
  };
}
