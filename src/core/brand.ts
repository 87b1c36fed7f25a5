declare const brandTag: unique symbol;

/** A string that must not be mixed up with other strings of another meaning. */
export type Brand<T, B extends string> = T & { readonly [brandTag]: B };

/** Identifies one run of a runbook, e.g. `r-20261121-0932-k3f9`. */
export type RunId = Brand<string, 'RunId'>;
/** A step's `id:` as written in the runbook. */
export type StepId = Brand<string, 'StepId'>;
/** Lower-case hex SHA-256 digest (64 characters). */
export type Sha256Hex = Brand<string, 'Sha256Hex'>;

export const asRunId = (s: string): RunId => s as RunId;
export const asStepId = (s: string): StepId => s as StepId;
export const asSha256 = (s: string): Sha256Hex => s as Sha256Hex;
