import { parseDuration } from '../../core/duration.js';
import type { SecretSpec } from '../../runbook/schema.js';

/** A secret spec with defaults applied (the runbook allows a bare name). */
export interface NormalizedSecret {
  readonly name: string;
  /** Default: true. */
  readonly required: boolean;
  readonly minLength?: number;
  /** Shannon entropy, bits per character. */
  readonly minEntropy?: number;
  /** The runbook's `forbid` values plus KNOWN_DEFAULTS. */
  readonly forbid: readonly string[];
  readonly rotateEveryMs?: number;
  readonly rotateEvery?: string;
  /** Default: 'env-then-dotenv'. */
  readonly source: 'env' | 'dotenv' | 'env-then-dotenv' | { readonly command: string };
}

/**
 * Values that are never acceptable whatever the runbook says: framework and tutorial defaults
 * that code falls back to when a secret is missing (ChefCloud's API silently used such a JWT
 * fallback). Compared ignoring case (`CHANGEME` is the same default); the runbook's own
 * `forbid` values are compared exactly.
 */
export const KNOWN_DEFAULTS: readonly string[] = [
  'secret',
  'changeme',
  'change-me',
  'changeit',
  'password',
  'your-secret-key',
  'your_jwt_secret',
  'jwt-secret',
  'jwtsecret',
  'supersecret',
  'super-secret',
  'dev-secret',
  'development-secret',
  'default-secret',
  'default-jwt-secret',
  'please-change-me',
  'keyboard cat',
];

export function normalizeSecret(spec: SecretSpec): NormalizedSecret {
  if (typeof spec === 'string') return { name: spec, required: true, forbid: KNOWN_DEFAULTS, source: 'env-then-dotenv' };
  const rotate = spec['rotate-every'];
  return {
    name: spec.name,
    required: spec.required,
    ...(spec['min-length'] !== undefined ? { minLength: spec['min-length'] } : {}),
    ...(spec['min-entropy'] !== undefined ? { minEntropy: spec['min-entropy'] } : {}),
    forbid: [...KNOWN_DEFAULTS, ...(spec.forbid ?? [])],
    ...(rotate !== undefined ? { rotateEveryMs: parseDuration(rotate)!, rotateEvery: String(rotate) } : {}),
    source: spec.source ?? 'env-then-dotenv',
  };
}

/** Shannon entropy of a string in bits per character (0 for '' or one repeated character). */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const n = [...s].length;
  let h = 0;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}
