import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionContext, ActionOutcome, EvidenceLog } from '../../src/actions/action.js';
import { findAction } from '../../src/actions/registry.js';
import { SYSTEM_ACTOR } from '../../src/core/actor.js';
import { asSha256 } from '../../src/core/brand.js';
import type { LedgerEntry } from '../../src/ledger/entry.js';
import type { LoadedRunbook } from '../../src/runbook/loaded-runbook.js';
import { FileArtifactStore } from '../../src/store/file-artifact-store.js';

/**
 * An in-memory EvidenceLog: keeps entries in an array (no hash chain). Good enough to see what an
 * action records; the real ledger is the store's, tested by the store's own tests.
 */
export class InMemoryEvidenceLog implements EvidenceLog {
  readonly entries: LedgerEntry[] = [];
  async record(kind: string, data: unknown): Promise<LedgerEntry> {
    const e: LedgerEntry = { seq: this.entries.length + 1, at: new Date().toISOString(), run: null, step: null, kind, actor: SYSTEM_ACTOR, data, prev: asSha256('0'.repeat(64)), hash: asSha256('0'.repeat(64)) };
    this.entries.push(e);
    return e;
  }
  async find(filter: { kind?: string }): Promise<LedgerEntry[]> {
    return this.entries.filter((e) => !filter.kind || e.kind === filter.kind);
  }
}

export interface TestActionContext extends ActionContext {
  readonly logLines: string[];
  readonly evidenceLog: InMemoryEvidenceLog;
  dispose(): Promise<void>;
}

/** An ActionContext over a temp state dir with the real FileArtifactStore. */
export async function makeActionContext(o: { signal?: AbortSignal; env?: Record<string, string>; secrets?: Record<string, string> } = {}): Promise<TestActionContext> {
  const dir = await mkdtemp(join(tmpdir(), 'sg-checks-ctx-'));
  const logLines: string[] = [];
  const evidenceLog = new InMemoryEvidenceLog();
  return {
    runbook: { runbook: {}, path: join(dir, 'shipgate.yml'), dir, digest: asSha256('0'.repeat(64)), stepPos: () => undefined } as unknown as LoadedRunbook,
    environment: 'test',
    release: null,
    runId: null,
    stepId: null,
    cwd: dir,
    env: o.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    vars: {},
    secrets: o.secrets ?? {},
    signal: o.signal ?? new AbortController().signal,
    clock: () => new Date(),
    actor: SYSTEM_ACTOR,
    stateDir: join(dir, '.shipgate'),
    log: (l) => void logLines.push(l),
    artifacts: new FileArtifactStore({ stateDir: join(dir, '.shipgate') }),
    evidence: evidenceLog,
    logLines,
    evidenceLog,
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Runs an action the way the engine does: validate `with`, load lazily, run. */
export async function runAction(name: string, withInput: unknown, ctx: ActionContext): Promise<ActionOutcome> {
  const def = findAction(name);
  if (!def) throw new Error(`no action ${name}`);
  const input = def.with.parse(withInput);
  return (await def.load()).run(input, ctx);
}
