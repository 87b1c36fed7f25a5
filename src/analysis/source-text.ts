/**
 * Turning file bytes into text, and offsets into line:col. Pure: the loader hands us bytes.
 */

/** Maps char offsets of one text to 1-based line and column. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  /** 1-based line and column of a char offset (clamped to the text). */
  locate(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - this.starts[lo]! + 1 };
  }
}

/** Why bytes could not be read as migration text, and where. */
export interface DecodeProblem {
  readonly rule: 'not-utf8' | 'binary-file';
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

/**
 * Decode UTF-8 bytes. A NUL byte means binary; invalid UTF-8 is reported at the first bad byte
 * (line:col counted in bytes before it, which is exact for ASCII-prefixed files).
 */
export function decodeText(bytes: Uint8Array): { ok: true; text: string } | { ok: false; problem: DecodeProblem } {
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { ok: false, problem: { rule: 'binary-file', ...byteLocation(bytes, nul), message: `NUL byte at offset ${nul}: binary file` } };
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { ok: true, text: text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    return { ok: false, problem: { rule: 'not-utf8', ...byteLocation(bytes, bad), message: `invalid UTF-8 byte 0x${(bytes[bad] ?? 0).toString(16)} at offset ${bad}` } };
  }
}

function byteLocation(bytes: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}

function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const len = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    if (len === 0) return i;
    for (let k = 1; k < len; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += len;
  }
  return Math.max(0, b.length - 1);
}

/** One line of at most `max` characters, for showing a statement. */
export function abbreviate(text: string, max = 120): string {
  // Only the head is shown: do not normalise a 100 kB statement to print 120 characters of it.
  const one = text.slice(0, max * 4).replace(/\s+/g, ' ').trim();
  return one.length <= max && text.length <= max * 4 ? one : `${one.slice(0, max - 1)}…`;
}
