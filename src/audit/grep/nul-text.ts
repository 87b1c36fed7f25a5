import { isAscii } from 'node:buffer';

/**
 * UTF-8 bytes (git's paths and output, ignore files) as a string. An all-ASCII buffer (the usual
 * one) is decoded as latin1, a plain copy, several times faster than UTF-8 decoding.
 */
export function decodeUtf8(b: Buffer): string {
  return b.toString(isAscii(b) ? 'latin1' : 'utf8');
}

/** The entries of a NUL-terminated listing (`git … -z`). */
export function splitNul(z: string): string[] {
  const out = z.split('\0');
  if (out.at(-1) === '') out.pop();
  return out;
}
