import { randomBytes } from 'node:crypto';
import { asRunId, type RunId } from '../core/brand.js';

/** `r-20261121-093215-k3f9`: sortable by start time, short enough to type in `shipgate approve`. */
export function newRunId(now: Date): RunId {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const suffix = randomBytes(3).readUIntBE(0, 3).toString(36).padStart(4, '0').slice(-4);
  return asRunId(`r-${stamp}-${suffix}`);
}
