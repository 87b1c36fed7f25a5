import type { EvidenceLog } from '../../actions/action.js';
import type { LoadedRunbook } from '../../runbook/loaded-runbook.js';
import { checkAuditSteps } from './audit-conditions.js';
import { checkBackupEvidence } from './backup-evidence.js';
import { conditionOk, type GateCondition } from './gate-condition.js';
import { checkMigrationConditions, type ClassifyMigrations } from './migration-conditions.js';
import { checkPrChecklist, type PrBody } from './pr-checklist.js';
import { checkSecretExposure } from './secrets-condition.js';

export interface GateOptions {
  readonly cwd: string;
  readonly runbook: LoadedRunbook;
  /** The PR body (see readPrBody). */
  readonly prBody: PrBody;
  /** The base ref the PR merges into. Default: origin/main. */
  readonly base: string;
  readonly evidence?: EvidenceLog;
  /** A committed evidence export directory (ledger.json inside). */
  readonly evidenceDir?: string;
  /** A ledger entry hash from a protected place that anchors `evidenceDir` when no live ledger is read. */
  readonly trustedHead?: string;
  /** The environment the release goes to: backup evidence must be of it. */
  readonly environment?: string;
  readonly maxEvidenceAgeMs: number;
  readonly maxEvidenceAge: string;
  readonly clock: () => Date;
  /** The migration analyzer seam; without it breaking-ness is unmeasured when migrations change. */
  readonly classify?: ClassifyMigrations;
  /**
   * The gate's process environment: declared secrets' values are read from it (then from each
   * environment's dotenv file) to search the repository for them. Default: none.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Search the git history in secrets checks. Default: true. */
  readonly history?: boolean;
  readonly signal?: AbortSignal;
}

export interface GateReport {
  readonly passed: boolean;
  readonly conditions: readonly GateCondition[];
}

/**
 * The merge gate: every condition is measured and reported; the gate passes only if each is
 * met or does not apply. Conditions are independent, so all are evaluated even after a failure
 * — the PR author sees the whole list at once.
 */
export async function runGate(opts: GateOptions): Promise<GateReport> {
  const rb = opts.runbook.runbook;
  const conditions: GateCondition[] = [checkPrChecklist(opts.prBody)];
  conditions.push(...(await checkMigrationConditions({ cwd: opts.cwd, runbookDir: opts.runbook.dir, migrations: rb.migrations, base: opts.base, ...(opts.classify ? { classify: opts.classify } : {}) })));
  conditions.push(
    await checkBackupEvidence({
      maxAgeMs: opts.maxEvidenceAgeMs,
      maxAge: opts.maxEvidenceAge,
      clock: opts.clock,
      ...(opts.evidence ? { evidence: opts.evidence } : {}),
      ...(opts.evidenceDir ? { exportDir: opts.evidenceDir } : {}),
      ...(opts.trustedHead ? { trustedHead: opts.trustedHead } : {}),
      ...(opts.environment ? { environment: opts.environment } : {}),
    }),
  );
  conditions.push(await checkAuditSteps(rb, opts.runbook.dir));
  conditions.push(await checkSecretExposure(rb, { runbookDir: opts.runbook.dir, env: opts.env ?? {}, history: opts.history ?? true, ...(opts.signal ? { signal: opts.signal } : {}) }));
  return { passed: conditions.every(conditionOk), conditions };
}
