import type { PlannedStep } from './plan.js';
import { findExpressionReferences, findReferences } from '../runbook/expressions/references.js';

/**
 * The steps that put `${{ release.version }}` into what they run (`run:`, `with:`, `env:`, the
 * text an approver reads). Without `--release` that value is empty, and a deploy script then
 * fails halfway through a release — after the app was stopped. A step whose `if:` reads the
 * release handles its absence itself and is not listed.
 */
export function stepsReadingRelease(steps: readonly PlannedStep[]): string[] {
  return steps
    .filter((s) => !(s.if !== null && findExpressionReferences(s.if).some(isRelease)))
    .filter((s) => texts([s.run, s.with, s.env, s.manual?.instructions, s.manual?.checklist]).some((t) => findReferences(t).some(isRelease)))
    .map((s) => s.id);
}

const isRelease = (r: { root: string }) => r.root === 'release';

function texts(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => texts(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => texts(x, out));
  return out;
}
