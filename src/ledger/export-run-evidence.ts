import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunId, Sha256Hex } from '../core/brand.js';
import { renderRunMarkdown } from '../report/run-md.js';
import type { ArtifactStore } from '../store/artifact-store.js';
import type { StateStore } from '../store/state-store.js';
import type { LedgerEntry } from './entry.js';
import { collectRunEvidence, type RunEvidence } from './run-evidence.js';
import { verifyLedger, type LedgerVerdict } from './verify-ledger.js';

/** Format tag of ledger.json, bumped if its shape changes. */
export const LEDGER_SLICE_FORMAT = 'shipgate-ledger-slice/1';

/** ledger.json: a verifiable slice of the chain. */
export interface LedgerSlice {
  readonly format: typeof LEDGER_SLICE_FORMAT;
  readonly run: RunId;
  /** The entry before `entries[0]`; null when the slice starts at seq 1 (after the genesis hash). */
  readonly anchor: LedgerEntry | null;
  /** Contiguous entries from the run's first to its last (other runs' entries in between included). */
  readonly entries: readonly LedgerEntry[];
  /** Seqs of the entries that belong to this run. */
  readonly runSeqs: readonly number[];
  readonly ledgerHead: { readonly seq: number; readonly hash: Sha256Hex } | null;
}

export interface ExportedArtifact {
  readonly sha256: Sha256Hex;
  readonly name: string;
  /** Relative to the export directory; null when the artifact was missing from the store. */
  readonly file: string | null;
}

export interface ExportRunEvidenceOptions {
  readonly store: StateStore;
  readonly artifacts: Pick<ArtifactStore, 'locate'>;
  readonly runId: RunId;
  /** Created if missing; existing files of the same names are overwritten. */
  readonly outDir: string;
}

export interface ExportResult {
  readonly outDir: string;
  readonly files: readonly string[];
  readonly evidence: RunEvidence;
  /** Artifacts referenced by the run but missing from the store (still listed in run.md). */
  readonly missingArtifacts: readonly string[];
}

/**
 * Writes a run's evidence to `outDir`: `ledger.json` (a LedgerSlice), `run.json` (run, steps,
 * approvals, artifacts), `artifacts/<sha12>-<name>` copies, and a readable `run.md`.
 */
export async function exportRunEvidence(opts: ExportRunEvidenceOptions): Promise<ExportResult> {
  const ev = await collectRunEvidence(opts.store, opts.artifacts, opts.runId);
  await mkdir(join(opts.outDir, 'artifacts'), { recursive: true });
  const exported: ExportedArtifact[] = [];
  const files = new Map<string, string>();
  for (const a of ev.artifacts) {
    if (a.path === undefined) {
      exported.push({ sha256: a.sha256, name: a.name, file: null });
      continue;
    }
    const file = `artifacts/${a.sha256.slice(0, 12)}-${safeFileName(a.name)}`;
    // The store's copy is read-only and copyFile keeps the mode: clear an earlier export's copy.
    await rm(join(opts.outDir, file), { force: true });
    await copyFile(a.path, join(opts.outDir, file));
    files.set(a.sha256, file);
    exported.push({ sha256: a.sha256, name: a.name, file });
  }
  const slice: LedgerSlice = {
    format: LEDGER_SLICE_FORMAT,
    run: ev.run.id,
    anchor: ev.anchor,
    entries: ev.chain,
    runSeqs: ev.entries.map((e) => e.seq),
    ledgerHead: ev.ledgerHead,
  };
  await writeFile(join(opts.outDir, 'ledger.json'), `${JSON.stringify(slice, null, 2)}\n`);
  await writeFile(
    join(opts.outDir, 'run.json'),
    `${JSON.stringify({ run: ev.run, steps: ev.steps, approvals: ev.approvals, artifacts: exported }, null, 2)}\n`,
  );
  await writeFile(join(opts.outDir, 'run.md'), renderRunMarkdown(ev, { artifactFiles: files }));
  return {
    outDir: opts.outDir,
    files: ['ledger.json', 'run.json', 'run.md', ...files.values()],
    evidence: ev,
    missingArtifacts: exported.filter((a) => a.file === null).map((a) => a.name),
  };
}

/**
 * Verifies an exported directory on its own: the slice's chain from its anchor, and every copied
 * artifact against its digest. The anchor's own hash is taken as given — compare it (or the
 * head) with the live ledger, or a copy kept elsewhere, to rule out a rewritten bundle.
 */
export async function verifyEvidenceBundle(dir: string): Promise<LedgerVerdict> {
  const slice = JSON.parse(await readFile(join(dir, 'ledger.json'), 'utf8')) as LedgerSlice;
  const runJson = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as { artifacts?: ExportedArtifact[] };
  const runSeqs = new Set(slice.runSeqs);
  const bySha = new Map((runJson.artifacts ?? []).filter((a) => a.file).map((a) => [a.sha256, join(dir, a.file!)]));
  return verifyLedger(slice.entries, {
    ...(slice.anchor ? { anchor: slice.anchor } : {}),
    artifacts: { locate: async (sha) => bySha.get(sha) },
    checkArtifactsOf: (e) => runSeqs.has(e.seq),
  });
}

function safeFileName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '');
  return cleaned.slice(0, 80) || 'artifact';
}
