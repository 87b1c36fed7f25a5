/** A release version. Pre-release and build parts are not produced by shipgate's suggestions. */
export interface SemVer {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** The tag's prefix as written (`v` or ''), kept for the next tag. */
  readonly prefix: string;
}

export type Bump = 'major' | 'minor' | 'patch' | 'none';

/** Parses `v1.2.3` / `1.2.3` (pre-release/build suffixes are dropped); undefined if not semver. */
export function parseSemver(tag: string): SemVer | undefined {
  const m = /^(v?)(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(tag.trim());
  return m ? { prefix: m[1]!, major: Number(m[2]), minor: Number(m[3]), patch: Number(m[4]) } : undefined;
}

export function formatSemver(v: SemVer): string {
  return `${v.prefix}${v.major}.${v.minor}.${v.patch}`;
}

export function bumpSemver(v: SemVer, bump: Bump): SemVer {
  switch (bump) {
    case 'major':
      return { ...v, major: v.major + 1, minor: 0, patch: 0 };
    case 'minor':
      return { ...v, minor: v.minor + 1, patch: 0 };
    case 'patch':
      return { ...v, patch: v.patch + 1 };
    case 'none':
      return v;
  }
}

const ORDER: readonly Bump[] = ['none', 'patch', 'minor', 'major'];
export const maxBump = (a: Bump, b: Bump): Bump => (ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b);
