import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { appendFile, chmod, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { asSha256, type Sha256Hex } from '../core/brand.js';
import type { ArtifactRef, ArtifactStore } from './artifact-store.js';
import { stateUnwritable } from './store-errors.js';

const HEX64 = /^[0-9a-f]{64}$/;
const MEDIA_TYPES: Record<string, string> = {
  '.log': 'text/plain',
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.json': 'application/json',
  '.ndjson': 'application/x-ndjson',
  '.html': 'text/html',
  '.csv': 'text/csv',
  '.sql': 'application/sql',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.gz': 'application/gzip',
};

/** One line of `artifacts/index.ndjson`: a name given to stored content. */
interface IndexLine {
  readonly sha256: Sha256Hex;
  readonly name: string;
  readonly mediaType: string;
  readonly size: number;
  readonly at: string;
}

/**
 * Content-addressed files under `<stateDir>/artifacts/<sha[0..2]>/<sha>`. Content is hashed while
 * it is written to a temp file in the same directory tree, fsynced, then renamed into place — so
 * a stored artifact is always complete, and a stream is never held in memory. Equal content is
 * stored once. Names and media types go to an append-only sidecar `artifacts/index.ndjson`
 * (one JSON line per put; appends of short lines do not interleave across processes).
 * Stored files are made read-only (0444): evidence is not edited in place.
 */
export class FileArtifactStore implements ArtifactStore {
  readonly root: string;

  constructor(opts: { stateDir: string; clock?: () => Date }) {
    this.root = join(opts.stateDir, 'artifacts');
    this.clock = opts.clock ?? (() => new Date());
  }

  private readonly clock: () => Date;

  async put(name: string, content: string | Uint8Array | Readable, mediaType?: string): Promise<ArtifactRef> {
    const tmpDir = join(this.root, 'tmp');
    try {
      await mkdir(tmpDir, { recursive: true });
    } catch (e) {
      throw stateUnwritable(this.root, (e as Error).message);
    }
    const tmp = join(tmpDir, randomBytes(12).toString('hex'));
    let sha256: Sha256Hex;
    let size: number;
    try {
      ({ sha256, size } = await writeHashed(tmp, content));
      const dir = join(this.root, sha256.slice(0, 2));
      await mkdir(dir, { recursive: true });
      const final = join(dir, sha256);
      if (await exists(final)) await unlink(tmp);
      else {
        await chmod(tmp, 0o444);
        await rename(tmp, final);
      }
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
    const ref: ArtifactRef = { sha256, name, size, path: this.pathOf(sha256), mediaType: mediaType ?? guessMediaType(name) };
    const line: IndexLine = { sha256, name, mediaType: ref.mediaType, size, at: this.clock().toISOString() };
    await appendFile(join(this.root, 'index.ndjson'), `${JSON.stringify(line)}\n`);
    return ref;
  }

  async locate(sha256: Sha256Hex): Promise<string | undefined> {
    if (!HEX64.test(sha256)) return undefined;
    const path = this.pathOf(sha256);
    return (await exists(path)) ? path : undefined;
  }

  /** The artifact as last named in the index, or undefined when it is not stored. */
  async describe(sha256: Sha256Hex): Promise<ArtifactRef | undefined> {
    const path = await this.locate(sha256);
    if (!path) return undefined;
    const line = (await this.readIndex()).filter((l) => l.sha256 === sha256).at(-1);
    const size = (await stat(path)).size;
    return { sha256, name: line?.name ?? sha256, size, path, mediaType: line?.mediaType ?? 'application/octet-stream' };
  }

  /** Every put recorded in the index, oldest first (a name may appear more than once). */
  async readIndex(): Promise<IndexLine[]> {
    let text: string;
    try {
      text = await readFile(join(this.root, 'index.ndjson'), 'utf8');
    } catch {
      return [];
    }
    const out: IndexLine[] = [];
    for (const raw of text.split('\n')) {
      if (!raw) continue;
      try {
        out.push(JSON.parse(raw) as IndexLine);
      } catch {
        // A torn last line (a crash mid-append) names nothing; the content file is still intact.
      }
    }
    return out;
  }

  private pathOf(sha256: Sha256Hex): string {
    return join(this.root, sha256.slice(0, 2), sha256);
  }
}

async function writeHashed(tmp: string, content: string | Uint8Array | Readable): Promise<{ sha256: Sha256Hex; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  if (typeof content === 'string' || content instanceof Uint8Array) {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    hash.update(bytes);
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    return { sha256: asSha256(hash.digest('hex')), size: bytes.byteLength };
  }
  const tap = new Transform({
    transform(chunk: Buffer | string, _enc, done) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      hash.update(buf);
      size += buf.byteLength;
      done(null, buf);
    },
  });
  await pipeline(content, tap, createWriteStream(tmp, { flags: 'wx', flush: true }));
  return { sha256: asSha256(hash.digest('hex')), size };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** A media type from the file name's extension. Default: application/octet-stream. */
export function guessMediaType(name: string): string {
  return MEDIA_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
}
