import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { ExitCode } from '../core/exit-codes.js';
import { renderRunMarkdown } from '../report/run-md.js';
import type { ApprovalRecord, RunRecord, StepRecord } from '../store/records.js';
import type { LedgerEntry } from './entry.js';
import { LEDGER_SLICE_FORMAT, type ExportedArtifact, type LedgerSlice } from './ledger-slice.js';
import { compareRunWithLedger, projectRunStatus } from './project-run-status.js';
import type { RunEvidence } from './run-evidence.js';
import { verifyLedger, type LedgerVerdict } from './verify-ledger.js';

/** run.json as written by exportRunEvidence. */
export interface RunJson {
  readonly run: RunRecord;
  readonly steps: readonly StepRecord[];
  readonly approvals: readonly ApprovalRecord[];
  readonly artifacts: readonly ExportedArtifact[];
}

/** A bundle read from disk, shape-checked (not yet verified). */
export interface EvidenceBundle {
  readonly dir: string;
  readonly slice: LedgerSlice;
  readonly runJson: RunJson;
  readonly runMd: string;
}

const NEXT = 'export it again where the state is kept: shipgate evidence export RUN --out DIR';

/**
 * Reads ledger.json, run.json and run.md of an export. A missing or malformed file is a
 * UserError (SG_EVIDENCE_UNREADABLE, exit 2) naming the file — not a verification verdict.
 */
export async function readEvidenceBundle(dir: string): Promise<EvidenceBundle> {
  const slice = (await readJson(dir, 'ledger.json')) as Partial<LedgerSlice> | null;
  const ledgerFile = join(dir, 'ledger.json');
  if (!slice || typeof slice !== 'object' || slice.format !== LEDGER_SLICE_FORMAT) {
    throw unreadable(`${ledgerFile} is not a ${LEDGER_SLICE_FORMAT} export (format: ${JSON.stringify((slice as { format?: unknown } | null)?.format)})`);
  }
  if (typeof slice.run !== 'string' || !Array.isArray(slice.entries) || !Array.isArray(slice.runSeqs) || !slice.entries.every(isEntryShaped)) {
    throw unreadable(`${ledgerFile} is malformed: it needs a run id, an entries array of ledger entries and runSeqs`);
  }
  const runJson = (await readJson(dir, 'run.json')) as Partial<RunJson> | null;
  if (!runJson || typeof runJson !== 'object' || !runJson.run || !Array.isArray(runJson.steps) || !Array.isArray(runJson.artifacts)) {
    throw unreadable(`${join(dir, 'run.json')} is malformed: it needs run, steps, approvals and artifacts`);
  }
  const runMd = await readText(dir, 'run.md');
  return { dir, slice: slice as LedgerSlice, runJson: { approvals: [], ...runJson } as RunJson, runMd };
}

/**
 * Verifies an exported directory on its own. Beyond the hash chain from its anchor and every
 * copied artifact, the bundle must be COMPLETE and CONSISTENT:
 * - at least one entry, the run's `run-started` among them, and `runSeqs` = the run's entries;
 * - the recorded `ledgerHead` is the last entry (a chain cut short no longer matches it);
 * - the run's last run-level entry is `run-finished` or `run-waiting` (only approvals after it);
 * - run.json's run and step statuses are what the ledger says, and run.md is exactly what
 *   run.json + ledger.json render to.
 * The anchor and head are taken as given: compare the head with the live ledger or a trusted
 * copy to rule out a bundle rewritten from scratch (the merge gate does).
 */
export async function verifyEvidenceBundle(dir: string): Promise<LedgerVerdict> {
  return verifyBundle(await readEvidenceBundle(dir));
}

/** verifyEvidenceBundle on an already-read bundle. */
export async function verifyBundle(b: EvidenceBundle): Promise<LedgerVerdict> {
  const { slice, runJson } = b;
  const entries = slice.entries;
  const last = entries.at(-1);
  if (!last) return fail(slice.anchor?.seq ?? 0, 'run-incomplete', 'ledger.json has no entries: an export always holds at least the run-started entry');
  const runSeqs = new Set(slice.runSeqs);
  const bySha = new Map(runJson.artifacts.filter((a) => a.file).map((a) => [a.sha256, join(b.dir, a.file!)]));
  const chain = await verifyLedger(entries, {
    ...(slice.anchor ? { anchor: slice.anchor } : {}),
    artifacts: { locate: async (sha) => bySha.get(sha) },
    checkArtifactsOf: (e) => runSeqs.has(e.seq),
  });
  if (!chain.ok) return chain;
  if (!slice.ledgerHead || slice.ledgerHead.seq !== last.seq || slice.ledgerHead.hash !== last.hash) {
    return fail(last.seq, 'head-mismatch', `the recorded ledgerHead (${slice.ledgerHead ? `seq ${slice.ledgerHead.seq}` : 'none'}) is not the last entry (seq ${last.seq}): the chain was cut short or extended`);
  }
  const own = entries.filter((e) => e.run === slice.run);
  const ownSeqs = own.map((e) => e.seq);
  if (ownSeqs.length !== runSeqs.size || ownSeqs.some((s) => !runSeqs.has(s))) {
    return fail(last.seq, 'run-incomplete', `runSeqs does not list exactly the run's entries (${ownSeqs.length} entries of run ${slice.run} in the chain)`);
  }
  if (own[0]?.kind !== 'run-started') {
    return fail(own[0]?.seq ?? entries[0]!.seq, 'run-incomplete', `the chain does not start with run ${slice.run}'s run-started entry`);
  }
  const p = projectRunStatus(own);
  const lastRun = own.find((e) => e.seq === p.lastRunSeq);
  const after = own.filter((e) => e.seq > p.lastRunSeq && e.kind !== 'approval-recorded');
  if (!lastRun || (lastRun.kind !== 'run-finished' && lastRun.kind !== 'run-waiting') || after.length > 0) {
    const at = after[0] ?? lastRun ?? own[0]!;
    return fail(at.seq, 'run-incomplete', `run ${slice.run} has no final run-finished or run-waiting entry (last: ${at.kind} at seq ${at.seq}): the chain was cut short, or the run was exported while running — export it again once it has finished`);
  }
  if (runJson.run.id !== slice.run) return fail(last.seq, 'status-mismatch', `run.json is about run ${String(runJson.run.id)}, ledger.json about run ${slice.run}`);
  const mismatch = compareRunWithLedger(runJson.run, runJson.steps, own)[0];
  if (mismatch) return fail(mismatch.seq || last.seq, 'status-mismatch', `run.json disagrees with the ledger: ${mismatch.message}`);
  if (renderBundleMarkdown(b) !== b.runMd) {
    return fail(last.seq, 'report-changed', 'run.md is not what run.json and ledger.json render to (it was edited): export again, or read run.json + ledger.json');
  }
  return chain;
}

/** Renders run.md from a bundle's run.json and ledger.json, as the export did. */
export function renderBundleMarkdown(b: EvidenceBundle): string {
  const { slice, runJson } = b;
  const runSeqs = new Set(slice.runSeqs);
  const files = new Map<string, string>();
  for (const a of runJson.artifacts) if (a.file) files.set(a.sha256, a.file);
  const ev: RunEvidence = {
    run: runJson.run,
    steps: runJson.steps,
    approvals: runJson.approvals,
    entries: slice.entries.filter((e) => runSeqs.has(e.seq)),
    chain: slice.entries,
    anchor: slice.anchor,
    ledgerHead: slice.ledgerHead,
    // run.md shows name, digest and whether it was copied; `path` only marks "present".
    artifacts: runJson.artifacts.map((a) => ({ sha256: a.sha256, name: a.name, seq: 0, path: a.file === null ? undefined : a.file })),
  };
  return renderRunMarkdown(ev, { artifactFiles: files });
}

function fail(seq: number, problem: Extract<LedgerVerdict, { ok: false }>['problem'], reason: string): LedgerVerdict {
  return { ok: false, seq, problem, reason };
}

function isEntryShaped(e: unknown): e is LedgerEntry {
  const x = e as Partial<LedgerEntry> | null;
  return !!x && typeof x === 'object' && typeof x.seq === 'number' && typeof x.kind === 'string' && typeof x.hash === 'string' && typeof x.prev === 'string';
}

async function readText(dir: string, name: string): Promise<string> {
  const file = join(dir, name);
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw unreadable(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file (is this an evidence export directory?)' : (e as Error).message}`);
  }
}

async function readJson(dir: string, name: string): Promise<unknown> {
  const text = await readText(dir, name);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw unreadable(`${join(dir, name)} is not valid JSON: ${(e as Error).message}`);
  }
}

function unreadable(message: string): UserError {
  return new UserError('SG_EVIDENCE_UNREADABLE', message, NEXT, ExitCode.InvalidInput);
}
