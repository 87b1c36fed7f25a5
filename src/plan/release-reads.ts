import type { PlannedStep } from './plan.js';
import { stepReads } from './step-reads.js';

/**
 * The steps that put `${{ release.version }}` into what they run (`run:`, `with:`, `env:`, the
 * text an approver reads) without a fallback. Without `--release` that value is empty, and a
 * deploy script then fails halfway through a release — after the app was stopped. Not listed:
 * a step whose `if:` reads the release (it decides about its absence itself), and a read with a
 * fallback (`${{ release.version || 'latest' }}`).
 */
export function stepsReadingRelease(steps: readonly PlannedStep[]): string[] {
  return steps
    .filter((s) => {
      const reads = stepReads(s).filter((r) => r.root === 'release');
      return !reads.some((r) => r.inCondition) && reads.some((r) => !r.hasFallback);
    })
    .map((s) => s.id);
}
