import type { ResolvedEnvironment } from '../../engine/environment.js';

/** Below this many characters a secret is flagged when a run starts. */
export const SHORT_SECRET = 4;

/**
 * Warnings for secrets so short that redacting them garbles the output (every `t` becomes
 * `***`) and that are guessable anyway. A warning, not a refusal: test environments use such
 * values on purpose; `secrets/check` with `min-length` is the gate for real ones.
 */
export function shortSecretWarnings(environment: ResolvedEnvironment): string[] {
  return Object.entries(environment.secrets)
    .filter(([, v]) => v.length < SHORT_SECRET)
    .map(([name, v]) => `warning: secret ${name} is ${v.length} character(s) long: every occurrence of it in output and evidence is replaced by ***, and a secret that short is guessable (check it with secrets/check min-length)\n`);
}
