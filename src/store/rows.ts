import type { Actor } from '../core/actor.js';
import { asRunId, asSha256, asStepId } from '../core/brand.js';
import type { LedgerEntry } from '../ledger/entry.js';
import type { ApprovalRecord, LockHolder, RunRecord, RunStatus, StepRecord, StepStatus } from './records.js';

/**
 * Row shapes as both dialects return them, and their mapping to records. JSON is kept as TEXT in
 * both dialects (not JSONB): the ledger must re-read exactly the bytes it hashed. Postgres
 * returns BIGINT as strings, hence `num()`.
 */
export interface RunRow {
  id: string;
  runbook_name: string;
  runbook_path: string;
  runbook_digest: string;
  environment: string;
  release: string | null;
  status: string;
  actor_json: string;
  plan_json: string;
  started_at: string;
  updated_at: string;
  ended_at: string | null;
  pid: number | string | null;
  host: string | null;
}

export interface StepRow {
  run_id: string;
  section: string;
  step_id: string;
  status: string;
  attempt: number | string;
  started_at: string | null;
  ended_at: string | null;
  exit_code: number | string | null;
  summary: string | null;
  outputs_json: string;
  log_sha256: string | null;
}

export interface ApprovalRow {
  run_id: string;
  step_id: string;
  actor_json: string;
  decision: string;
  note: string | null;
  items_json: string;
  at: string;
}

export interface LockRow {
  environment: string;
  run_id: string;
  actor_json: string;
  since: string;
  pid: number | string | null;
  host: string | null;
}

export interface LedgerRow {
  seq: number | string;
  at: string;
  run_id: string | null;
  step_id: string | null;
  kind: string;
  actor_json: string;
  data_json: string;
  prev: string;
  hash: string;
}

const num = (v: number | string): number => (typeof v === 'number' ? v : Number(v));
const numOrNull = (v: number | string | null): number | null => (v === null ? null : num(v));

export function toRun(r: RunRow): RunRecord {
  return {
    id: asRunId(r.id),
    runbookName: r.runbook_name,
    runbookPath: r.runbook_path,
    runbookDigest: asSha256(r.runbook_digest),
    environment: r.environment,
    release: r.release,
    status: r.status as RunStatus,
    actor: JSON.parse(r.actor_json) as Actor,
    planJson: r.plan_json,
    startedAt: r.started_at,
    updatedAt: r.updated_at,
    endedAt: r.ended_at,
    pid: numOrNull(r.pid),
    host: r.host,
  };
}

export function toStep(r: StepRow): StepRecord {
  return {
    runId: asRunId(r.run_id),
    stepId: asStepId(r.step_id),
    section: r.section as StepRecord['section'],
    status: r.status as StepStatus,
    attempt: num(r.attempt),
    startedAt: r.started_at,
    endedAt: r.ended_at,
    exitCode: numOrNull(r.exit_code),
    summary: r.summary,
    outputs: JSON.parse(r.outputs_json) as Record<string, string>,
    logSha256: r.log_sha256 === null ? null : asSha256(r.log_sha256),
  };
}

export function toApproval(r: ApprovalRow): ApprovalRecord {
  return {
    runId: asRunId(r.run_id),
    stepId: asStepId(r.step_id),
    actor: JSON.parse(r.actor_json) as Actor,
    decision: r.decision as ApprovalRecord['decision'],
    note: r.note,
    items: JSON.parse(r.items_json) as ApprovalRecord['items'],
    at: r.at,
  };
}

export function toLock(r: LockRow): LockHolder {
  return {
    environment: r.environment,
    runId: asRunId(r.run_id),
    actor: JSON.parse(r.actor_json) as Actor,
    since: r.since,
    pid: numOrNull(r.pid),
    host: r.host,
  };
}

/**
 * A ledger row as an entry. Stored JSON that no longer parses (someone edited the file) is
 * returned as the raw text, so `verifyLedger` reports that entry instead of the read crashing.
 */
export function toEntry(r: LedgerRow): LedgerEntry {
  return {
    seq: num(r.seq),
    at: r.at,
    run: r.run_id === null ? null : asRunId(r.run_id),
    step: r.step_id === null ? null : asStepId(r.step_id),
    kind: r.kind,
    actor: parseOr(r.actor_json) as Actor,
    data: parseOr(r.data_json),
    prev: asSha256(r.prev),
    hash: asSha256(r.hash),
  };
}

function parseOr(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
