export type SecretCheckName = 'present' | 'min-length' | 'min-entropy' | 'forbid' | 'rotation' | 'exposed-tree' | 'exposed-history' | 'token-shape';

/** One finding. Never carries a value: only names, counts, positions. */
export interface SecretFinding {
  /** The secret's name; for token shapes, the shape id. */
  readonly secret: string;
  readonly check: SecretCheckName;
  /** `unmeasured` is never a pass: it says what could not be measured and why. */
  readonly status: 'passed' | 'failed' | 'unmeasured';
  readonly expected: string;
  readonly measured: string;
  readonly file?: string;
  readonly line?: number;
  readonly commit?: string;
}
