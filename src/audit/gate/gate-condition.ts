/** A place in a file that an annotation points at. */
export interface GateAnnotation {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

/**
 * One merge-gate condition: what was required, what was measured, and how to meet it.
 * `unmeasured` counts as not met: the gate never passes what it could not check.
 */
export interface GateCondition {
  readonly id: 'checklist' | 'migration-plan' | 'rollback-plan' | 'breaking-plan' | 'backup-evidence' | 'audit' | 'secrets';
  readonly title: string;
  readonly status: 'met' | 'unmet' | 'unmeasured' | 'not-applicable';
  readonly expected: string;
  readonly measured: string;
  /** The next thing to do when not met. */
  readonly how?: string;
  readonly annotations?: readonly GateAnnotation[];
}

export const conditionOk = (c: GateCondition): boolean => c.status === 'met' || c.status === 'not-applicable';
