/** A release version, as in a tag. shipgate's suggestions never carry a pre-release part. */
export interface SemVer {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** `rc.1` in `v1.4.0-rc.1`; absent for a release. */
  readonly prerelease?: string;
  /** The tag's prefix as written (`v` or ''), kept for the next tag. */
  readonly prefix: string;
}

export type Bump = 'major' | 'minor' | 'patch' | 'none';
const ORDER: readonly Bump[] = ['none', 'patch', 'minor', 'major'];

// semver.org's grammar (no leading zeros, dot-separated identifiers), with an optional `v`.
const NUM = '0|[1-9]\\d*';
const IDS = '[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*';
const SEMVER = new RegExp(`^(v?)(${NUM})\\.(${NUM})\\.(${NUM})(?:-(${IDS}))?(?:\\+${IDS})?$`);

/** Parses `v1.2.3` / `1.2.3-rc.1` (build metadata is dropped); undefined if not semver. */
export function parseSemver(tag: string): SemVer | undefined {
  const m = SEMVER.exec(tag.trim());
  if (!m) return undefined;
  return { prefix: m[1]!, major: Number(m[2]), minor: Number(m[3]), patch: Number(m[4]), ...(m[5] ? { prerelease: m[5] } : {}) };
}

export function formatSemver(v: SemVer): string {
  return `${v.prefix}${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ''}`;
}

/** Semver precedence: negative when a < b (build metadata and prefix are ignored). */
export function compareSemver(a: SemVer, b: SemVer): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core || a.prerelease === b.prerelease) return core;
  // A pre-release comes before its release: 1.4.0-rc.1 < 1.4.0.
  if (!a.prerelease) return 1;
  if (!b.prerelease) return -1;
  const x = a.prerelease.split('.');
  const y = b.prerelease.split('.');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const [p, q] = [x[i]!, y[i]!];
    if (p === q) continue;
    const [pn, qn] = [/^\d+$/.test(p), /^\d+$/.test(q)];
    if (pn && qn) return Number(p) - Number(q);
    if (pn !== qn) return pn ? -1 : 1; // numeric identifiers sort before alphanumeric ones
    return p < q ? -1 : 1;
  }
  return x.length - y.length;
}

/**
 * The next version. From a pre-release the bump is taken from the release it leads to, as
 * npm's `semver.inc` does: `1.4.0-rc.1` already implies a minor, so a fix or feat gives 1.4.0
 * (not 1.4.1); only a bigger change goes past it (breaking → 2.0.0).
 */
export function bumpSemver(v: SemVer, bump: Bump): SemVer {
  if (bump === 'none') return v;
  const release: SemVer = { prefix: v.prefix, major: v.major, minor: v.minor, patch: v.patch };
  if (v.prerelease) {
    const implied: Bump = v.patch ? 'patch' : v.minor ? 'minor' : 'major';
    if (ORDER.indexOf(bump) <= ORDER.indexOf(implied)) return release;
  }
  switch (bump) {
    case 'major':
      return { ...release, major: v.major + 1, minor: 0, patch: 0 };
    case 'minor':
      return { ...release, minor: v.minor + 1, patch: 0 };
    case 'patch':
      return { ...release, patch: v.patch + 1 };
  }
}

export const maxBump = (a: Bump, b: Bump): Bump => (ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b);
