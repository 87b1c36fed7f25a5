import { TOKEN_SHAPES } from './token-shapes.js';
import { shannonEntropy } from './secret-spec.js';

/** A value to look for: the secret's name (reported) and its bytes (never reported). */
export interface Needle {
  readonly name: string;
  readonly bytes: Buffer;
}

/** Where something was found. Never the found text: only its position and what it was. */
export interface FoundAt {
  /** The secret's name (value match) or the token shape id. */
  readonly what: string;
  readonly kind: 'value' | 'shape';
  readonly line: number;
}

/**
 * Finds secret values (exact bytes) and token shapes in one file's or blob's bytes. The values
 * are compared in memory with Buffer.indexOf; nothing derived from them is kept.
 * Shapes are only looked for in text (no NUL byte), as gitleaks does.
 */
export function findInBuffer(buf: Buffer, needles: readonly Needle[], shapes: boolean): FoundAt[] {
  const out: FoundAt[] = [];
  for (const n of needles) {
    if (n.bytes.length === 0) continue;
    for (let at = buf.indexOf(n.bytes); at >= 0; at = buf.indexOf(n.bytes, at + n.bytes.length)) {
      out.push({ what: n.name, kind: 'value', line: lineOf(buf, at) });
    }
  }
  if (shapes && buf.indexOf(0) < 0) {
    // latin1, not utf8: every shape is ASCII, latin1 maps bytes 1:1 (so newlines and ASCII
    // matches are the same) and skips UTF-8 decoding, which dominated multi-GB history scans.
    const text = buf.toString('latin1');
    if (!ANCHORS.test(text)) return out;
    for (const s of TOKEN_SHAPES) {
      const re = new RegExp(s.regex.source, s.regex.flags.includes('g') ? s.regex.flags : s.regex.flags + 'g');
      for (let m = re.exec(text); m; m = re.exec(text)) {
        if (s.minEntropy !== undefined && shannonEntropy(m[1] ?? m[0]) < s.minEntropy) continue;
        out.push({ what: s.id, kind: 'shape', line: lineOfText(text, m.index) });
      }
    }
  }
  return out;
}

/**
 * One cheap pass that every shape needs to pass first: a literal every shape's match contains.
 * Keep in step with token-shapes.ts (the shape tests fail if a shape is not anchored here).
 */
const ANCHORS = /AKIA|ASIA|ABIA|ACCA|gh[pousr]_|github_pat_|PRIVATE KEY|xox[baprs]-|hooks\.slack\.com|eyJ|secret|token|passw|api[_-]?key|private[_-]?key/i;

function lineOf(buf: Buffer, at: number): number {
  let line = 1;
  for (let i = buf.indexOf(10); i >= 0 && i < at; i = buf.indexOf(10, i + 1)) line++;
  return line;
}

function lineOfText(text: string, at: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
