import { hostname } from 'node:os';
import { unreachable } from '../../core/unreachable.js';
import type { RunRecord } from '../../store/records.js';

/**
 * Whether the process that drives a `running` run is still there. The stored status stays
 * `running` when the driver is killed (kill -9, a crash, a reboot): nothing was left to write
 * `interrupted`. A pid can be checked only on the host that recorded it, as resume does.
 */
export type DriverState =
  | { readonly kind: 'alive'; readonly pid: number }
  | { readonly kind: 'gone'; readonly pid: number }
  | { readonly kind: 'elsewhere'; readonly pid: number; readonly host: string }
  | { readonly kind: 'unknown' };

export function driverState(run: Pick<RunRecord, 'pid' | 'host'>, isAlive: (pid: number) => boolean): DriverState {
  if (!run.pid) return { kind: 'unknown' };
  if (run.host && run.host !== hostname()) return { kind: 'elsewhere', pid: run.pid, host: run.host };
  return isAlive(run.pid) ? { kind: 'alive', pid: run.pid } : { kind: 'gone', pid: run.pid };
}

/** The words after `running` in `shipgate status`. */
export function describeDriver(d: DriverState): string {
  switch (d.kind) {
    case 'alive':
      return `(driven by pid ${d.pid})`;
    case 'gone':
      return `(driver pid ${d.pid} is gone: interrupted)`;
    case 'elsewhere':
      return `(driven by pid ${d.pid} on ${d.host}; not checkable from here)`;
    case 'unknown':
      return '';
    default:
      return unreachable(d);
  }
}
