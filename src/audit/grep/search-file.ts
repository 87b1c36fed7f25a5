import { isAscii } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { FileResult, GrepHit } from './types.js';

/** Bytes read per system call. Files smaller than this are read in one call. */
export const CHUNK = 256 * 1024;
/** rg reads a file in 64 KiB buffers; a NUL in the first one makes it skip the file with no hit. */
const RG_FIRST_BUFFER = 64 * 1024;
/** Default longest line we accept before skipping the file (so one huge line cannot exhaust memory). */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

export interface Matchers {
  /** The pattern with flags `g` + `m`: scans a chunk of whole lines at once. */
  readonly chunk: RegExp;
  /** The pattern as-is: confirms a match within a single line (lines are the unit, as rg -n). */
  readonly line: RegExp;
  /** The pattern with flag `g`: searches a line again from an index (testLine). */
  readonly lineFrom: RegExp;
  /** UTF-8 literals of which a matching line contains one (required-literals.ts); absent: no pre-filter. */
  readonly literals?: readonly Buffer[];
  /**
   * For a case-insensitive pattern, lower-case ASCII literals of which a matching line holds one
   * in some mix of case (required-literals.ts prefilterFor): found in a file's lower-cased copy
   * (searchWhole's `folded`), they point to the only lines worth decoding.
   */
  readonly foldedLiterals?: readonly Buffer[];
  /**
   * Test each line on its own instead of scanning the chunk: a lookaround would see the
   * neighbouring line across the line break (`(?<!\s)foo` never matched a line starting "foo").
   */
  readonly perLine?: boolean;
}

/**
 * Open flags. Non-blocking: a FIFO put where a listed file was would otherwise block the open
 * for ever (a regular file reads the same). For files git listed, a symlink fails with ELOOP
 * instead of being followed (rg does not follow).
 */
const READ = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const NO_FOLLOW = READ | constants.O_NOFOLLOW;

/**
 * Searches one file, streaming it in chunks cut at line ends, so a multi-GB file costs one
 * chunk of memory (plus the longest line). Hand-written instead of `readline`: scanning a whole
 * chunk with one regex and only splitting lines around matches is several times faster than
 * testing every line, and it lets us see NUL bytes in the raw bytes.
 *
 * A file with a NUL byte is binary (ripgrep's rule): the search stops at the first NUL, and as in
 * rg the whole lines before it count only when it lies past the first 64 KiB; the skip is reported
 * with the offset. A line longer than `maxLineBytes` skips the file with a reason.
 */
export function searchFile(abs: string, display: string, m: Matchers, maxLineBytes = DEFAULT_MAX_LINE_BYTES, noFollow = false): FileResult {
  let fd: number;
  try {
    fd = openSync(abs, noFollow ? NO_FOLLOW : READ);
  } catch (e) {
    return failed(display, e);
  }
  try {
    // Callers hand over regular files (the walker checks types, explicit paths are stat'ed, git
    // lists files), so no fstat per file: on 13k small files the Stats objects cost more than the
    // regex. Only a file that reads empty, or would block, is checked (a FIFO or socket where a
    // listed file was: rg skips those).
    return scan(fd, display, m, maxLineBytes);
  } catch (e) {
    // A FIFO: EAGAIN (non-blocking, a writer is there) or ESPIPE (a positioned read).
    const code = (e as NodeJS.ErrnoException).code;
    if ((code === 'EAGAIN' || code === 'ESPIPE') && !fstatSync(fd).isFile()) return notAFile(display);
    return failed(display, e);
  } finally {
    closeSync(fd);
  }
}

function notAFile(display: string): FileResult {
  return { file: display, hits: [], bytes: 0, skip: { file: display, reason: 'not-a-file', detail: 'not a regular file (FIFO, socket or device)' } };
}

/** An open/read failure; `errorCode` lets the caller treat ENOENT/ELOOP/EISDIR of listed files. */
function failed(display: string, e: unknown): FileResult {
  const err = e as NodeJS.ErrnoException;
  return { file: display, hits: [], bytes: 0, skip: { file: display, reason: 'unreadable', detail: err.message }, ...(err.code ? { errorCode: err.code } : {}) };
}

/** Whether a file's result counts as searched: not skipped, or binary but searched up to its NUL. */
export function countsAsSearched(r: FileResult): boolean {
  return !r.skip || r.searchedPart === true;
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
        return { file: display, hits, bytes: offset, skip: { file: display, reason: 'line-too-long', detail: `a line longer than ${maxLineBytes} bytes at line ${lineNo}` } };
      }
      const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxLineBytes));
      buf.copy(bigger, 0, 0, filled);
      buf = bigger;
    }
    const want = buf.length - filled;
    const n = readSync(fd, buf, filled, want, offset + filled);
    if (n === 0 && offset === 0 && filled === 0 && !fstatSync(fd).isFile()) return notAFile(display);
    let prevFilled = filled;
    filled += n;
    if (offset === 0 && prevFilled === 0 && startsWithBom(buf.subarray(0, filled))) {
      // rg decodes a UTF-8 byte-order mark away: its columns and line text start after it.
      buf.copy(buf, 0, 3, filled);
      filled -= 3;
      offset = 3;
      prevFilled = 0;
    }
    // Searches are bounded by a view: past `filled`, the reused buffer holds an earlier file.
    const view = buf.subarray(0, filled);
    const nul = view.indexOf(0, prevFilled);
    if (nul >= 0) return binary(view, nul, offset, lineNo, display, m, hits);
    // A short read of a regular file is its end: this saves the read() that would return 0,
    // one system call per file (most files fit in one read).
    const eof = n < want;
    // Search up to the last complete line; at EOF, everything left.
    const end = eof ? filled : buf.lastIndexOf(10, filled - 1) + 1;
    if (end > 0) {
      const lines = end === filled ? view : buf.subarray(0, end);
      lineNo = searchLines(lines, lineNo, !eof, display, m, hits);
      // The unfinished last line moves to the front; at the end of a file there is none, and a
      // zero-length copy still costs a call through Buffer's checks (~5% of a 17k-file search).
      if (end < filled) buf.copy(buf, 0, end, filled);
      offset += end;
      filled -= end;
    }
    if (eof) return { file: display, hits, bytes: offset };
  }
}

/**
 * The result for a file whose bytes were read whole elsewhere (the native pre-filter,
 * native-scan.ts): what `scan` finds when its first read is the whole file. `folded`, the same
 * bytes with ASCII lower-cased (given for case-insensitive patterns), lets only the lines holding
 * one of `m.foldedLiterals` be decoded, as searchLines does for case-sensitive ones.
 */
export function searchWhole(bytes: Buffer, display: string, m: Matchers, folded?: Buffer): FileResult {
  const hits: GrepHit[] = [];
  const bom = startsWithBom(bytes) ? 3 : 0;
  const view = bom ? bytes.subarray(3) : bytes;
  const nul = view.indexOf(0);
  if (nul >= 0) return binary(view, nul, bom, 1, display, m, hits);
  if (view.length > 0) {
    if (folded && m.foldedLiterals) testLinesAt(view, literalLineStarts(folded.subarray(bom), m.foldedLiterals), 1, false, display, m, hits);
    else searchLines(view, 1, false, display, m, hits);
  }
  return { file: display, hits, bytes: bytes.length };
}

/** Whether `b` starts with a UTF-8 byte-order mark (EF BB BF). */
function startsWithBom(b: Buffer): boolean {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
}

/**
 * The search stops at the first NUL byte (`view[nul]`, file offset `offset + nul`). As rg: a NUL
 * within the first 64 KiB (its first buffer) skips the file; one further on (a long log with a
 * stray NUL) keeps the whole lines before it, whose hits still count, so that such a log cannot
 * pass the gate.
 */
function binary(view: Buffer, nul: number, offset: number, lineNo: number, display: string, m: Matchers, hits: GrepHit[]): FileResult {
  const whole = offset + nul >= RG_FIRST_BUFFER ? view.lastIndexOf(10, nul) + 1 : 0;
  if (whole === 0) return binarySkip(display, offset + nul, offset + view.length);
  searchLines(view.subarray(0, whole), lineNo, false, display, m, hits);
  return { file: display, hits, bytes: offset + view.length, skip: { file: display, reason: 'binary', detail: `NUL byte at offset ${offset + nul}; searched up to it` }, searchedPart: true };
}

/** A file skipped as binary for a NUL byte at `nulOffset` in its first 64 KiB, having read `bytes`. */
export function binarySkip(display: string, nulOffset: number, bytes: number): FileResult {
  return { file: display, hits: [], bytes, skip: { file: display, reason: 'binary', detail: `NUL byte at offset ${nulOffset}` } };
}

/**
 * Searches whole lines for hits; returns the line number after them when `countAll` (the next
 * chunk needs it), else any number (nobody uses it: this was the file's last part).
 *
 * With required literals (required-literals.ts), only the lines holding one are decoded and
 * tested: every match contains one, so no other line can match. Most files that hold a literal
 * hold it on a few lines, and decoding the whole file to find them cost more than the search
 * (a 200 KB file with one hit: ~5 ms against ~0.2 ms). Without literals, scanLines.
 */
function searchLines(lines: Buffer, firstLine: number, countAll: boolean, display: string, m: Matchers, hits: GrepHit[]): number {
  if (m.literals) return testLinesAt(lines, literalLineStarts(lines, m.literals), firstLine, countAll, display, m, hits);
  return scanLines(lines, firstLine, countAll, display, m, hits);
}

/**
 * Start offsets of the lines holding one of `literals`, ascending and without repeats. A literal
 * never holds a line break: compilePattern refuses one, and escapes are never literal text
 * (required-literals.ts).
 */
function literalLineStarts(lines: Buffer, literals: readonly Buffer[]): number[] {
  const starts: number[] = [];
  for (const lit of literals) {
    for (let at = lines.indexOf(lit); at >= 0; ) {
      starts.push(at === 0 ? 0 : lines.lastIndexOf(10, at - 1) + 1);
      const nl = lines.indexOf(10, at);
      if (nl < 0) break;
      at = lines.indexOf(lit, nl + 1); // the next line on: one start per line
    }
  }
  if (literals.length > 1) starts.sort((a, b) => a - b);
  return starts.filter((x, i) => i === 0 || x !== starts[i - 1]);
}

/** Tests the lines starting at `starts` (ascending), counting line numbers on the way. */
function testLinesAt(lines: Buffer, starts: readonly number[], firstLine: number, countAll: boolean, display: string, m: Matchers, hits: GrepHit[]): number {
  let lineNo = firstLine;
  let counted = 0; // newlines counted up to here
  for (const start of starts) {
    lineNo += newlines(lines, counted, start);
    counted = start;
    const nl = lines.indexOf(10, start);
    const end = nl < 0 ? lines.length : nl;
    const ascii = isAscii(lines.subarray(start, end));
    testLine(lines.toString(ascii ? 'latin1' : 'utf8', start, end), ascii, lineNo, display, m, hits);
  }
  return countAll ? lineNo + newlines(lines, counted, lines.length) : lineNo;
}

/**
 * The `\n` bytes in `bytes[from, to)`. Through a latin1 string (one character per byte, and UTF-8
 * never has the byte 10 inside a character): String#indexOf runs in compiled JavaScript, while
 * each Buffer#indexOf is a call into C++ (measured ~10× slower on a 10k-line file).
 */
function newlines(bytes: Buffer, from: number, to: number): number {
  if (to <= from) return 0;
  const s = bytes.toString('latin1', from, to);
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Scans whole lines; returns the line number after them when `countAll` (the next chunk needs
 * it), else the number after the last hit (nobody uses it: this was the file's last chunk).
 *
 * Pure ASCII (most source files; `isAscii` is a SIMD check) is decoded as latin1, a plain copy
 * several times faster than UTF-8 decoding and identical for ASCII, and a character index is
 * then a byte index, which gives the byte column directly. Other chunks are decoded as UTF-8.
 */
function scanLines(lines: Buffer, firstLine: number, countAll: boolean, display: string, m: Matchers, hits: GrepHit[]): number {
  const ascii = isAscii(lines);
  const text = lines.toString(ascii ? 'latin1' : 'utf8');
  if (m.perLine) return scanEachLine(text, ascii, lines, firstLine, display, m, hits);
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
    // A chunk match may span lines; the hit counts only if the line matches on its own.
    hitIfLineMatches(text, lines, ascii, lineStart, lineEnd, lineNo, display, m, hits);
    if (nl < 0) break;
    re.lastIndex = nl + 1;
  }
  if (countAll) for (let i = text.indexOf('\n', counted); i >= 0; i = text.indexOf('\n', i + 1)) lineNo++;
  return lineNo;
}

/** scanLines for patterns with lookaround: every line is tested alone (slower, but what per-line means). */
function scanEachLine(text: string, ascii: boolean, lines: Buffer, firstLine: number, display: string, m: Matchers, hits: GrepHit[]): number {
  let lineNo = firstLine;
  for (let start = 0; start < text.length; lineNo++) {
    const nl = text.indexOf('\n', start);
    hitIfLineMatches(text, lines, ascii, start, nl < 0 ? text.length : nl, lineNo, display, m, hits);
    if (nl < 0) {
      lineNo++;
      break;
    }
    start = nl + 1;
  }
  return lineNo;
}

/** Tests the line `text[start, end)` on its own and records a hit with its byte column. */
function hitIfLineMatches(text: string, lines: Buffer, ascii: boolean, start: number, end: number, lineNo: number, display: string, m: Matchers, hits: GrepHit[]): void {
  // A fresh string for ASCII, not a slice of `text`: a slice would keep the whole chunk
  // alive as long as the hit (measured: most of the GC time on a many-hit search).
  testLine(ascii ? lines.toString('latin1', start, end) : text.slice(start, end), ascii, lineNo, display, m, hits);
}

/** Whether index `i` of `s` falls between a high and a low surrogate (inside one character). */
function splitsPair(s: string, i: number): boolean {
  if (i <= 0 || i >= s.length) return false;
  const hi = s.charCodeAt(i - 1);
  const lo = s.charCodeAt(i);
  return hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff;
}

/** Tests one line (without its `\n`) and records a hit with the byte column of the first match. */
function testLine(line: string, ascii: boolean, lineNo: number, display: string, m: Matchers, hits: GrepHit[]): void {
  m.line.lastIndex = 0;
  let lm = m.line.exec(line);
  // V8 lets a match of lookarounds alone (`\B` becomes one) start between the two halves of a
  // surrogate pair, where both neighbours look like non-word characters; rg never starts a match
  // inside a character. Search on from the end of the pair.
  while (lm && splitsPair(line, lm.index)) {
    m.lineFrom.lastIndex = lm.index + 1;
    lm = m.lineFrom.exec(line);
  }
  if (!lm) return;
  if (line.endsWith('\r')) line = line.slice(0, -1);
  hits.push({ file: display, line: lineNo, column: (ascii ? lm.index : Buffer.byteLength(line.slice(0, lm.index))) + 1, text: line });
}
