import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { asSha256, type Sha256Hex } from '../core/brand.js';

/** sha256 of a file, streamed (256 KiB chunks): memory stays flat whatever the file size. */
export async function hashFile(path: string, signal?: AbortSignal): Promise<{ sha256: Sha256Hex; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const stream = createReadStream(path, { highWaterMark: 1 << 18, ...(signal ? { signal } : {}) });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    hash.update(chunk);
  }
  return { sha256: asSha256(hash.digest('hex')), size };
}
