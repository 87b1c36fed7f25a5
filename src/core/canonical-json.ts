import { hash } from 'node:crypto';
import { asSha256, type Sha256Hex } from './brand.js';

/**
 * JSON with object keys sorted at every level and no whitespace, so that equal data always
 * hashes equal. `undefined` members are dropped (as JSON.stringify does); non-finite numbers
 * are refused because they have no JSON form.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  throw new TypeError(`canonicalJson: cannot encode ${typeof value}`);
}

/** One-shot: a run hashes a few small values per step, and a Hash object per value cost more than the digest. */
export function sha256Hex(data: string | Uint8Array): Sha256Hex {
  return asSha256(hash('sha256', data, 'hex'));
}
