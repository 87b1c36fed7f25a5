import { open, stat } from 'node:fs/promises';
import type { Probe, ProbeReading } from './probe.js';

export interface LogFileProbeOptions {
  /** Absolute path of the log file. */
  readonly path: string;
  /** Lines matching this pattern count, e.g. ` 5\d\d ` for 5xx in an access log. */
  readonly pattern: string;
  /** More matching new lines than this in one tick is a failure. Default: 0. */
  readonly maxMatches?: number;
}

/**
 * Reads only the lines appended since the last tick (the file's end is remembered at start, so
 * old lines never count). A file that shrinks was rotated: it is read again from the start.
 * value = matching new lines in the tick.
 */
export function logFileProbe(o: LogFileProbeOptions): Probe {
  const re = new RegExp(o.pattern);
  let offset = 0;
  let partial = '';
  return {
    async start() {
      offset = await stat(o.path).then((s) => s.size, () => 0);
    },
    async measure(): Promise<ProbeReading> {
      let size: number;
      try {
        size = (await stat(o.path)).size;
      } catch (e) {
        return { outcome: 'error', cause: { reason: 'other', message: `cannot read ${o.path}: ${(e as NodeJS.ErrnoException).code ?? e}` } };
      }
      if (size < offset) {
        offset = 0;
        partial = '';
      }
      let text = '';
      if (size > offset) {
        const fh = await open(o.path, 'r');
        try {
          const buf = Buffer.alloc(size - offset);
          const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
          offset += bytesRead;
          text = buf.subarray(0, bytesRead).toString('utf8');
        } finally {
          await fh.close();
        }
      }
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      const hits = lines.filter((l) => re.test(l));
      if (hits.length > (o.maxMatches ?? 0)) {
        return { outcome: 'failure', value: hits.length, detail: `${hits.length} new line(s) match /${re.source}/, first: ${hits[0]!.slice(0, 160)}` };
      }
      return { outcome: 'success', value: hits.length, detail: `${lines.length} new line(s), ${hits.length} matching` };
    },
  };
}
