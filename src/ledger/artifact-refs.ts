import { asSha256, type Sha256Hex } from '../core/brand.js';

/** An artifact that a ledger entry's `data` refers to. */
export interface ArtifactMention {
  readonly sha256: Sha256Hex;
  /** What to call it in messages: its `name` when the reference has one. */
  readonly name: string;
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Finds the artifacts an entry's data refers to. The convention (docs/evidence.md):
 *
 * - a property named `logSha256` (a step's log) anywhere in `data`;
 * - an object with a `sha256` that is an element of an array property named `artifacts`
 *   (the shape of ActionOutcome.artifacts: ArtifactRef[]) or the value of a property named
 *   `artifact`.
 *
 * The value must be 64 lower-case hex characters. A bare `sha256` elsewhere is NOT an artifact
 * reference: actions record digests of files that live outside the artifact store (a backup
 * file, a dump), and those must not be reported missing.
 */
export function findArtifactMentions(data: unknown, fallbackName = 'log'): ArtifactMention[] {
  const found: ArtifactMention[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!v || typeof v !== 'object') return;
    for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
      if (key === 'logSha256' && typeof value === 'string' && HEX64.test(value)) found.push({ sha256: asSha256(value), name: fallbackName });
      else if (key === 'artifacts' && Array.isArray(value)) value.forEach((a) => pushRef(a, found));
      else if (key === 'artifact') pushRef(value, found);
      visit(value);
    }
  };
  visit(data);
  return found;
}

function pushRef(v: unknown, found: ArtifactMention[]): void {
  if (!v || typeof v !== 'object') return;
  const { sha256, name } = v as { sha256?: unknown; name?: unknown };
  if (typeof sha256 === 'string' && HEX64.test(sha256)) {
    found.push({ sha256: asSha256(sha256), name: typeof name === 'string' && name ? name : sha256.slice(0, 12) });
  }
}
