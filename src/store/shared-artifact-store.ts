import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Sha256Hex } from '../core/brand.js';
import type { ArtifactRef, ArtifactStore } from './artifact-store.js';
import type { Dialect } from './dialect.js';
import type { FileArtifactStore } from './file-artifact-store.js';

/** Size of one stored chunk. Default: 1 MiB — small enough to hold, large enough to be few. */
const CHUNK_BYTES = 1 << 20;

/**
 * Team mode's artifact store: files are written locally (FileArtifactStore) AND uploaded to
 * the shared database in chunks, so that `evidence verify`/`export` on another machine, or a
 * dashboard instance, finds every artifact. `locate` returns the local file, downloading it
 * into the local store first when only the database has it. Never holds a whole file in memory.
 */
export class SharedArtifactStore implements ArtifactStore, AsyncDisposable {
  constructor(
    readonly local: FileArtifactStore,
    private readonly db: Dialect,
  ) {}

  async put(name: string, content: string | Uint8Array | Readable, mediaType?: string): Promise<ArtifactRef> {
    const ref = await this.local.put(name, content, mediaType);
    await this.upload(ref);
    return ref;
  }

  async locate(sha256: Sha256Hex): Promise<string | undefined> {
    return (await this.local.locate(sha256)) ?? (await this.download(sha256));
  }

  close(): Promise<void> {
    return this.db.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private async upload(ref: ArtifactRef): Promise<void> {
    // One transaction per digest, serialised by an advisory lock: a second machine uploading the
    // same content waits, then finds it there. Chunks are read from the local file one by one.
    await this.db.writeTransaction(`artifact:${ref.sha256}`, async (tx) => {
      const present = await tx.all('SELECT 1 FROM artifact_blobs WHERE sha256 = ?', [ref.sha256]);
      if (present.length > 0) return;
      await tx.run('INSERT INTO artifact_blobs (sha256, name, media_type, size, chunks) VALUES (?, ?, ?, ?, 0)', [
        ref.sha256,
        ref.name,
        ref.mediaType,
        ref.size,
      ]);
      let idx = 0;
      for await (const chunk of createReadStream(ref.path, { highWaterMark: CHUNK_BYTES })) {
        await tx.run('INSERT INTO artifact_chunks (sha256, idx, bytes) VALUES (?, ?, ?)', [ref.sha256, idx++, chunk]);
      }
      await tx.run('UPDATE artifact_blobs SET chunks = ? WHERE sha256 = ?', [idx, ref.sha256]);
    });
  }

  private async download(sha256: Sha256Hex): Promise<string | undefined> {
    const rows = await this.db.all<{ name: string; media_type: string; chunks: number }>(
      'SELECT name, media_type, chunks FROM artifact_blobs WHERE sha256 = ?',
      [sha256],
    );
    const blob = rows[0];
    if (!blob) return undefined;
    const db = this.db;
    const chunks = Readable.from(
      (async function* () {
        for (let idx = 0; idx < Number(blob.chunks); idx++) {
          const [row] = await db.all<{ bytes: Buffer }>('SELECT bytes FROM artifact_chunks WHERE sha256 = ? AND idx = ?', [sha256, idx]);
          if (!row) throw new Error(`artifact ${sha256} is missing chunk ${idx} in the shared store`);
          yield row.bytes;
        }
      })(),
    );
    const ref = await this.local.put(blob.name, chunks, blob.media_type);
    // Content-addressed: what came back must hash to what was asked for, or it is not that artifact.
    return ref.sha256 === sha256 ? ref.path : undefined;
  }
}
