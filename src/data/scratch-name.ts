import { randomBytes } from 'node:crypto';

/** Longest identifier both Postgres (63) and MySQL (64) accept. */
const MAX_IDENTIFIER = 63;

/**
 * The name of a scratch database restored from a backup of `source`:
 * `sg_scratch_<stamp>_<random>_<source>`. The source at the end tells an operator (and a test on
 * a shared server) which database a scratch copy — say one left by a killed verify — belongs to;
 * it is cut to fit the identifier limit, and only [a-z0-9_] are kept so it never needs quoting.
 */
export function scratchName(stamp: string, source: string): string {
  const head = `sg_scratch_${stamp.toLowerCase()}_${randomBytes(3).toString('hex')}`;
  const tail = source.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, MAX_IDENTIFIER - head.length - 1);
  return tail ? `${head}_${tail}` : head;
}
