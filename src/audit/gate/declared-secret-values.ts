import { resolve } from 'node:path';
import type { Runbook } from '../../runbook/schema.js';
import type { Needle } from '../secrets/find-in-buffer.js';
import { normalizeSecret } from '../secrets/secret-spec.js';
import { lookupSecrets } from '../secrets/secret-sources.js';

export interface DeclaredSecretValues {
  /** The values found, to search the repository for (one needle per distinct value). */
  readonly needles: readonly Needle[];
  /** Every declared name, across environments, in declaration order. */
  readonly declared: readonly string[];
  /** Declared names with no value visible to the gate: only token shapes can catch those. */
  readonly withoutValue: readonly string[];
  /** Declared names whose value is too short to search for (it would match ordinary words). */
  readonly tooShort: readonly string[];
}

/**
 * Shorter values are not searched: a local `DB_PASSWORD=postgres` would fail the gate on every
 * file that says "postgres". Such a value is a weak secret, which `secrets check` (min-length)
 * is there to flag; the gate names it as not searched.
 */
export const MIN_SEARCHED_SECRET = 10;

/**
 * The values of every secret declared under any environment, read where `shipgate secrets check`
 * reads them: the gate's own process environment, then that environment's dotenv file. Every
 * environment counts, not only the one the release goes to: a committed staging key is a leak
 * too. Provider commands (`source: {command}`) are not run — they list names, never values.
 */
export async function declaredSecretValues(rb: Runbook, runbookDir: string, env: Readonly<Record<string, string | undefined>>): Promise<DeclaredSecretValues> {
  const needles: Needle[] = [];
  const seen = new Set<string>();
  const declared: string[] = [];
  const found = new Set<string>();
  const tooShort: string[] = [];
  for (const e of Object.values(rb.environments)) {
    const specs = e.secrets.map(normalizeSecret);
    for (const s of specs) if (!declared.includes(s.name)) declared.push(s.name);
    const valued = specs.filter((s) => typeof s.source !== 'object');
    const lookups = await lookupSecrets(valued, { cwd: runbookDir, env, dotenvFile: resolve(runbookDir, e.dotenv ?? '.env') });
    for (const [name, l] of lookups) {
      if (l.kind !== 'value') continue;
      found.add(name);
      if (l.value.length < MIN_SEARCHED_SECRET) {
        if (!tooShort.includes(name)) tooShort.push(name);
        continue;
      }
      // The same value under two names (or in two environments) is searched once.
      if (seen.has(l.value)) continue;
      seen.add(l.value);
      needles.push({ name, bytes: Buffer.from(l.value) });
    }
  }
  return { needles, declared, withoutValue: declared.filter((n) => !found.has(n)), tooShort };
}
