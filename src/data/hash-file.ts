import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { asSha256, type Sha256Hex } from '../core/brand.js';

/** Read size for hashing: 256 KiB keeps memory flat whatever the file size. */
const CHUNK = 1 << 18;

/** sha256 of a file, streamed: memory stays flat whatever the file size. */
export async function hashFile(path: string, signal?: AbortSignal): Promise<{ sha256: Sha256Hex; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const stream = createReadStream(path, { highWaterMark: CHUNK, ...(signal ? { signal } : {}) });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    hash.update(chunk);
  }
  return { sha256: asSha256(hash.digest('hex')), size };
}

/**
 * Hashes a file while copying it to `dest` in the same pass (one read instead of two): the bytes
 * written are exactly the bytes hashed. Used by verify to re-hash and restore into scratch at once.
 */
export async function hashAndCopyFile(path: string, dest: string, signal?: AbortSignal): Promise<{ sha256: Sha256Hex; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  await mkdir(dirname(dest), { recursive: true });
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(createReadStream(path, { highWaterMark: CHUNK }), tap, createWriteStream(dest, { highWaterMark: CHUNK }), ...(signal ? [{ signal }] as const : []));
  return { sha256: asSha256(hash.digest('hex')), size };
}
