/**
 * One judged fact: what was expected, what was measured, and the verdict. Shared by the check
 * library (src/checks), every action's outcome, and the engine's events.
 */
export interface CheckRecord {
  readonly name: string;
  readonly passed: boolean;
  readonly expected?: string;
  readonly measured?: string;
  readonly ms?: number;
  readonly details?: unknown;
}
