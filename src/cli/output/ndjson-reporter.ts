import type { Writable } from 'node:stream';
import type { RunSubscriber } from '../../engine/events.js';

/** `--json`: one RunEvent per line, exactly as published (already redacted). */
export function ndjsonReporter(out: Writable): RunSubscriber {
  return (e) => {
    out.write(`${JSON.stringify(e)}\n`);
  };
}
