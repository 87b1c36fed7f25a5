import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/**
 * Calls `onLine` for every line of a stream and resolves when the stream ends or closes. Lines
 * break as node:readline breaks them (\n, \r\n, or a lone \r as progress bars print); a last
 * line without a newline counts. By hand rather than readline: its Interface is built for
 * terminals (history, cursor, async iterator), and setting two up per step was a measurable part
 * of the per-step cost (bench/engine/overhead.mjs); splitting lines is all a step log needs.
 */
export function eachLine(stream: Readable | null, onLine: (line: string) => void): Promise<void> {
  if (!stream) return Promise.resolve();
  const decoder = new StringDecoder('utf8');
  let rest = '';
  /** Emits the complete lines of `text`; returns what is left (a lone \r at the end waits for a \n). */
  const emit = (text: string, final: boolean): string => {
    const breaks = /\r\n|\n|\r/g;
    let start = 0;
    for (let m = breaks.exec(text); m; m = breaks.exec(text)) {
      if (m[0] === '\r' && m.index === text.length - 1 && !final) break;
      onLine(text.slice(start, m.index));
      start = m.index + m[0].length;
    }
    return text.slice(start);
  };
  return new Promise((resolve) => {
    let done = false;
    const onData = (chunk: Buffer) => {
      rest = emit(rest + decoder.write(chunk), false);
    };
    const finish = () => {
      if (done) return;
      done = true;
      stream.off('data', onData);
      const tail = emit(rest + decoder.end(), true);
      if (tail.length > 0) onLine(tail);
      resolve();
    };
    stream.on('data', onData);
    stream.once('end', finish);
    stream.once('close', finish);
    stream.once('error', finish);
  });
}
