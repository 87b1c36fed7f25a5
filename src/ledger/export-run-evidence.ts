import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunId } from '../core/brand.js';
import { UserError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { renderRunMarkdown } from '../report/run-md.js';
import type { ArtifactStore } from '../store/artifact-store.js';
import type { StateStore } from '../store/state-store.js';
import { LEDGER_SLICE_FORMAT, type ExportedArtifact, type LedgerSlice } from './ledger-slice.js';
import { compareRunWithLedger } from './project-run-status.js';
import { collectRunEvidence, type RunEvidence } from './run-evidence.js';

export { LEDGER_SLICE_FORMAT, type ExportedArtifact, type LedgerSlice } from './ledger-slice.js';
export { verifyEvidenceBundle } from './verify-evidence-bundle.js';

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
  // The runs/steps tables are a projection of the ledger: if a row was edited, the report would
  // say what the ledger does not. Refuse rather than export a report that contradicts its chain.
  const mismatches = compareRunWithLedger(ev.run, ev.steps, ev.entries);
  if (mismatches.length > 0) {
    throw new UserError(
      'SG_EVIDENCE_TABLES_DISAGREE',
      `the state tables disagree with the ledger, so run ${opts.runId} cannot be exported: ${mismatches.map((m) => m.message).join('; ')}`,
      'check the state store (the ledger is authoritative): shipgate evidence verify',
      ExitCode.Failed,
    );
  }
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

function safeFileName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '');
  return cleaned.slice(0, 80) || 'artifact';
}
