import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** Reading a stream line by line: `done` settles when it ends; `stop` gives up on it early. */
export interface LineReader {
  readonly done: Promise<void>;
  /**
   * Emits the unfinished last line now and stops listening: for a stream the caller will not
   * wait for any longer (a background process kept the pipe open), so no line arrives after
   * the caller has moved on.
   */
  stop(): void;
}

/**
 * Calls `onLine` for every line of a stream. Lines break as node:readline breaks them (\n, \r\n,
 * or a lone \r as progress bars print; a \r\n split across chunks is one break); a last line
 * without a newline counts. Each chunk is scanned once and a long line is joined once, so a
 * 64 MB line without a break costs linear time.
 *
 * By hand rather than readline: its Interface is built for terminals (history, cursor, async
 * iterator), and setting two up per step was a measurable part of the per-step cost
 * (bench/engine/overhead.mjs); splitting lines is all a step log needs.
 */
export function eachLine(stream: Readable | null, onLine: (line: string) => void): LineReader {
  if (!stream) return { done: Promise.resolve(), stop() {} };
  const decoder = new StringDecoder('utf8');
  const breaks = /\r\n|\n|\r/g;
  let pieces: string[] = []; // the current line so far (no break seen yet)
  let skipLF = false; // the last chunk ended in \r: a \n first in the next is that \r\n's second half
  const take = (text: string) => {
    // Most steps print nothing: no regex run for the decoder's empty end (it showed in profiles).
    if (text.length === 0) return;
    let start = 0;
    if (skipLF) {
      if (text.charCodeAt(0) === 10) start = 1;
      skipLF = false;
    }
    breaks.lastIndex = start;
    for (let m = breaks.exec(text); m; m = breaks.exec(text)) {
      pieces.push(text.slice(start, m.index));
      onLine(pieces.join(''));
      pieces = [];
      start = m.index + m[0].length;
      if (m[0] === '\r' && start === text.length) skipLF = true;
    }
    if (start < text.length) pieces.push(text.slice(start));
  };
  let finish = () => {};
  const done = new Promise<void>((resolve) => {
    let finished = false;
    const onData = (chunk: Buffer) => take(decoder.write(chunk));
    finish = () => {
      if (finished) return;
      finished = true;
      stream.off('data', onData);
      stream.off('end', finish);
      stream.off('close', finish);
      stream.off('error', finish);
      take(decoder.end());
      const tail = pieces.join('');
      pieces = [];
      if (tail.length > 0) onLine(tail);
      resolve();
    };
    stream.on('data', onData);
    stream.once('end', finish);
    stream.once('close', finish);
    stream.once('error', finish);
  });
  return { done, stop: () => finish() };
}
