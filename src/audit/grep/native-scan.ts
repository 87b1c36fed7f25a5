import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * The native pre-filter (native/grep-scan.c): reads files on native threads and sorts them into
 * clean (cannot match: none of the required literals, no NUL byte, read whole), binary (a NUL
 * byte in the first 64 KiB), kept (their bytes are handed back for the JavaScript search) and left (JavaScript opens them itself: errors,
 * files of `wholeLimit` bytes or more, and files over 256 KiB with a NUL byte).
 */
export interface NativeScanner {
  scan(paths: Buffer, starts: Uint32Array, noFollow: Uint8Array, literals: readonly Buffer[], caseless: number, threads: number, status: Uint8Array, size: Int32Array, offset: Int32Array, wholeLimit: number): Promise<Buffer[]>;
}

/** Status codes written by the scan (native/grep-scan.c). A kept file's code is 1 + 16 × part. */
export const CLEAN = 0;
export const LEFT = 2;
/** A NUL byte in the first 64 KiB: skipped as binary, the NUL's offset in `offset`. */
export const BINARY = 3;
/**
 * Kept, by a caseless scan that found a literal: the file's bytes are followed in the arena by
 * the same bytes with ASCII lower-cased. The code is 4 + 16 × part.
 */
export const FOLDED = 4;

/** Where the compiled addon lies: beside the package's `native/` sources (scripts/build-native.mjs). */
const CANDIDATES = [
  '../../../native/build/Release/grep_scan.node', // from dist/audit/grep/ or src/audit/grep/
  '../../native/build/Release/grep_scan.node', // from the bundles in dist/cli-bundle/
];

let loaded: NativeScanner | null | undefined;

/**
 * The native scanner, or undefined where it was not built (no C compiler at install time) or is
 * turned off with SHIPGATE_GREP_NATIVE=0; the JavaScript search then does the same work with the
 * same results, slower.
 */
export function nativeScanner(env: NodeJS.ProcessEnv = process.env): NativeScanner | undefined {
  if (env.SHIPGATE_GREP_NATIVE === '0') return undefined;
  if (loaded === undefined) loaded = load();
  return loaded ?? undefined;
}

function load(): NativeScanner | null {
  for (const rel of CANDIDATES) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (!existsSync(path)) continue;
    try {
      return createRequire(import.meta.url)(path) as NativeScanner;
    } catch {
      return null; // built for another Node or platform: the JavaScript search is always there
    }
  }
  return null;
}
