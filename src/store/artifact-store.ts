import type { Readable } from 'node:stream';
import type { Sha256Hex } from '../core/brand.js';

/** A file kept as evidence (a step log, a screenshot, a chart, a dump listing). */
export interface ArtifactRef {
  readonly sha256: Sha256Hex;
  readonly name: string;
  readonly size: number;
  /** Absolute path of the stored file. */
  readonly path: string;
  readonly mediaType: string;
}

/**
 * Content-addressed artifact files under `.shipgate/artifacts/<sha256>`; the ledger references
 * them by digest, so a changed artifact is detected by `shipgate evidence verify`.
 * Content must already be redacted: artifacts are written as given.
 */
export interface ArtifactStore {
  put(name: string, content: string | Uint8Array | Readable, mediaType?: string): Promise<ArtifactRef>;
  /** Path of the stored artifact, or undefined if it is missing. */
  locate(sha256: Sha256Hex): Promise<string | undefined>;
}
