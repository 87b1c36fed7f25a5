import type { AllowedBy, GrepHit } from './types.js';

/**
 * The inline marker: `shipgate: allow`, optionally with a reason as `shipgate: allow(reason)` or
 * `shipgate: allow - reason` / `shipgate: allow: reason`. It must be on the line that matches.
 */
// Whole words only: `shipgate: allowed hosts …`, `shipgate:allowance` or `allow-list` are prose,
// not the marker, and must not allow a hit by accident.
const MARKER = /\bshipgate:\s*allow\b(?!-)(?:\(([^)]*)\)|\s*[-:\u2014]\s*(.+?)(?:\s*(?:-->|\*\/))?\s*$)?/;

/** What allows hits: path globs (relative, POSIX) and/or the inline marker. */
export interface Allowlist {
  /** Globs (picomatch) on the displayed path, e.g. `docs/release-runbook.md`, `**\/*.snap`. */
  readonly globs?: readonly string[];
  /** Honour `shipgate: allow` on the line. Default: true. */
  readonly marker?: boolean;
}

/** Builds a function that says why a hit is allowed, or undefined when it counts. */
export async function compileAllowlist(list: Allowlist): Promise<(hit: GrepHit) => AllowedBy | undefined> {
  // picomatch is loaded only when there are globs: module loading is part of every run's start-up.
  const picomatch = list.globs?.length ? (await import('picomatch')).default : undefined;
  const globs = (list.globs ?? []).map((g) => ({ g, test: picomatch!(g, { dot: true }) }));
  const marker = list.marker ?? true;
  return (hit) => {
    for (const { g, test } of globs) if (test(hit.file)) return { by: 'glob', rule: g };
    if (marker) {
      const m = MARKER.exec(hit.text);
      if (m) {
        const reason = (m[1] ?? m[2])?.trim();
        return reason ? { by: 'marker', rule: 'shipgate: allow', reason } : { by: 'marker', rule: 'shipgate: allow' };
      }
    }
    return undefined;
  };
}
