import { closeSync, openSync, readSync } from 'node:fs';
import type { FileResult, GrepHit } from './types.js';

/** Bytes read per system call. Files smaller than this are read in one call. */
const CHUNK = 256 * 1024;
/** Default longest line we accept before skipping the file (so one huge line cannot exhaust memory). */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

export interface Matchers {
  /** The pattern with flags `g` + `m`: scans a chunk of whole lines at once. */
  readonly chunk: RegExp;
  /** The pattern as-is: confirms a match within a single line (lines are the unit, as rg -n). */
  readonly line: RegExp;
}

/**
 * Searches one file, streaming it in chunks cut at line ends, so a multi-GB file costs one
 * chunk of memory (plus the longest line). Hand-written instead of `readline`: scanning a whole
 * chunk with one regex and only splitting lines around matches is several times faster than
 * testing every line, and it lets us see NUL bytes in the raw bytes.
 *
 * A file with a NUL byte is binary and skipped (ripgrep's rule); its hits are dropped and the
 * skip is reported with the offset. A line longer than `maxLineBytes` skips the file with a reason.
 */
export function searchFile(abs: string, display: string, m: Matchers, maxLineBytes = DEFAULT_MAX_LINE_BYTES): FileResult {
  let fd: number;
  try {
    fd = openSync(abs, 'r');
  } catch (e) {
    return { file: display, hits: [], bytes: 0, skip: { file: display, reason: 'unreadable', detail: (e as Error).message } };
  }
  try {
    // The walker only hands over regular files (explicit paths are stat'ed there), so no fstat:
    // on 13k small files the Stats objects alone cost more than the regex.
    return scan(fd, display, m, maxLineBytes);
  } catch (e) {
    return { file: display, hits: [], bytes: 0, skip: { file: display, reason: 'unreadable', detail: (e as Error).message } };
  } finally {
    closeSync(fd);
  }
}

/** One read buffer per thread, reused for every file (a fresh one per file was mostly GC). */
let shared: Buffer | undefined;

function scan(fd: number, display: string, m: Matchers, maxLineBytes: number): FileResult {
  const hits: GrepHit[] = [];
  shared ??= Buffer.allocUnsafe(CHUNK);
  let buf = shared;
  let filled = 0; // bytes in buf carried over (an unfinished line) plus newly read
  let offset = 0; // file offset of buf[0]
  let lineNo = 1; // line number of buf[0]
  for (;;) {
    if (filled === buf.length) {
      if (buf.length >= maxLineBytes) {
        return { file: display, hits: [], bytes: offset, skip: { file: display, reason: 'line-too-long', detail: `a line longer than ${maxLineBytes} bytes at line ${lineNo}` } };
      }
      const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxLineBytes));
      buf.copy(bigger, 0, 0, filled);
      buf = bigger;
    }
    const n = readSync(fd, buf, filled, buf.length - filled, offset + filled);
    const prevFilled = filled;
    filled += n;
    const nul = buf.subarray(prevFilled, filled).indexOf(0);
    if (nul >= 0) {
      return { file: display, hits: [], bytes: offset + filled, skip: { file: display, reason: 'binary', detail: `NUL byte at offset ${offset + prevFilled + nul}` } };
    }
    const eof = n === 0;
    // Search up to the last complete line; at EOF, everything left.
    const end = eof ? filled : buf.lastIndexOf(10, filled - 1) + 1;
    if (end > 0) {
      lineNo = scanText(buf.toString('utf8', 0, end), lineNo, display, m, hits);
      buf.copy(buf, 0, end, filled);
      offset += end;
      filled -= end;
    }
    if (eof) return { file: display, hits, bytes: offset };
  }
}

/** Scans whole lines of text; returns the line number after the text. */
function scanText(text: string, firstLine: number, display: string, m: Matchers, hits: GrepHit[]): number {
  const re = m.chunk;
  re.lastIndex = 0;
  let lineNo = firstLine;
  let counted = 0; // newlines counted up to here
  for (let mt = re.exec(text); mt; mt = re.exec(text)) {
    const at = mt.index;
    const lineStart = at === 0 ? 0 : text.lastIndexOf('\n', at - 1) + 1;
    for (let i = text.indexOf('\n', counted); i >= 0 && i < lineStart; i = text.indexOf('\n', i + 1)) lineNo++;
    counted = lineStart;
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl < 0 ? text.length : nl;
    if (lineStart === text.length) break; // the empty "line" after a final newline is not a line
    let line = text.slice(lineStart, lineEnd);
    // A chunk match may span lines; the hit counts only if the line matches on its own.
    m.line.lastIndex = 0;
    const lm = m.line.exec(line);
    if (lm) {
      if (line.endsWith('\r')) line = line.slice(0, -1);
      hits.push({ file: display, line: lineNo, column: Buffer.byteLength(line.slice(0, lm.index)) + 1, text: line });
    }
    if (nl < 0) break;
    re.lastIndex = nl + 1;
  }
  for (let i = text.indexOf('\n', counted); i >= 0; i = text.indexOf('\n', i + 1)) lineNo++;
  return lineNo;
}
