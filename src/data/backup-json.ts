import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { digestManifest } from './manifest.js';
import { dataError } from './errors.js';
import type { BackupManifest, BackupMetadata } from './types.js';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/** Shape of manifest.json (types.ts BackupManifest). Loose: unknown keys are kept, so digests see the file as written. */
const ManifestSchema = z.looseObject({
  version: z.literal(1),
  entries: z.array(z.looseObject({ path: z.string().min(1), type: z.enum(['file', 'symlink']), size: z.number().int().nonnegative(), sha256: sha256.optional(), target: z.string().optional() })),
});

/** Shape of metadata.json (types.ts BackupMetadata). */
const MetadataSchema = z.looseObject({
  version: z.literal(1),
  id: z.string(),
  environment: z.string(),
  createdAt: z.string(),
  database: z
    .looseObject({ kind: z.enum(['sqlite', 'postgres', 'mysql']), tool: z.string(), toolVersion: z.string(), serverVersion: z.string(), rowCounts: z.record(z.string(), z.number()), countMethod: z.string(), dumpPath: z.string().min(1) })
    .nullable(),
  storage: z.array(z.string()),
  runbookDigest: z.string().nullable(),
  gitCommit: z.string().nullable(),
  reason: z.string(),
});

/**
 * Reads and checks one of a backup's JSON files. A damaged file (truncated, hand-edited, wrong
 * shape) is a clear SG_DATA_BAD_BACKUP_FILE naming the file and the first problem — never a
 * TypeError deep inside verification. The parsed JSON is returned as written (not zod's copy).
 */
async function readBackupJson<T>(dir: string, name: 'manifest.json' | 'metadata.json', schema: z.ZodType): Promise<T> {
  const file = join(dir, name);
  const text = await readFile(file, 'utf8').catch((e: unknown) => {
    throw dataError('SG_DATA_BAD_BACKUP_FILE', `${file} cannot be read (${(e as { code?: string }).code ?? (e as Error).message}); the backup is incomplete`, 'this backup cannot be used: take a new one with `shipgate backup create` (or pick another from `shipgate backup list`)', { file });
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw dataError('SG_DATA_BAD_BACKUP_FILE', `${file} is not valid JSON (${(e as Error).message}); the backup is damaged`, 'this backup cannot be used: take a new one with `shipgate backup create` (or pick another from `shipgate backup list`)', { file });
  }
  const r = schema.safeParse(value);
  if (!r.success) {
    const first = r.error.issues[0]!;
    throw dataError('SG_DATA_BAD_BACKUP_FILE', `${file} is not a valid backup ${name.replace('.json', '')}: ${first.path.join('.') || '(top level)'}: ${first.message}; the backup is damaged`, 'this backup cannot be used: take a new one with `shipgate backup create` (or pick another from `shipgate backup list`)', { file, issues: r.error.issues.slice(0, 10) });
  }
  return value as T;
}

export const readManifest = (dir: string): Promise<BackupManifest> => readBackupJson(dir, 'manifest.json', ManifestSchema);
export const readMetadata = (dir: string): Promise<BackupMetadata> => readBackupJson(dir, 'metadata.json', MetadataSchema);

/** The manifest digest, or null when manifest.json is damaged (such a backup is never "verified"). */
export async function manifestDigestOrNull(dir: string): Promise<string | null> {
  return readManifest(dir).then(digestManifest, () => null);
}
