import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvidenceLog } from '../actions/action.js';
import type { DataContext } from './data-context.js';
import { dataError } from './errors.js';
import { EVIDENCE, isBackupVerified } from './evidence.js';
import { backupsRoot, listBackups, manifestDigestOrNull, PARTIAL_SUFFIX } from './layout.js';

export interface PruneResult {
  readonly kept: readonly string[];
  readonly deleted: readonly string[];
  /** The newest verified backup, always kept (even beyond `keep`). */
  readonly newestVerified: string | null;
  /** `<id>.partial` folders left by a killed process (older than an hour), removed. */
  readonly stalePartials: readonly string[];
}

/** A partial folder untouched this long belongs to a process that died. Default: 1 hour. */
const STALE_PARTIAL_MS = 3_600_000;

/**
 * Keeps the `keep` newest backups of an environment and deletes the rest — but never the newest
 * verified one: pruning must not leave an environment with nothing to roll back to.
 * `keep` defaults to data.keep; without either, nothing is pruned (an error says so).
 */
export async function pruneBackups(opts: { ctx: DataContext; environment: string; evidence: EvidenceLog; keep?: number; dryRun?: boolean }): Promise<PruneResult> {
  const keep = opts.keep ?? opts.ctx.config.keep;
  if (!keep || keep < 1) throw dataError('SG_DATA_NO_KEEP', 'how many backups to keep is not set', 'set data.keep in the runbook or pass --keep N');
  const all = await listBackups(backupsRoot(opts.ctx.baseDir, opts.ctx.config.backups), opts.environment);
  let newestVerified: string | null = null;
  for (const b of all) {
    const digest = await manifestDigestOrNull(b.dir);
    if (digest !== null && (await isBackupVerified(opts.evidence, b.id, digest))) {
      newestVerified = b.id;
      break;
    }
  }
  const kept = all.slice(0, keep).map((b) => b.id);
  if (newestVerified && !kept.includes(newestVerified)) kept.push(newestVerified);
  const doomed = all.filter((b) => !kept.includes(b.id));
  const envDir = join(backupsRoot(opts.ctx.baseDir, opts.ctx.config.backups), opts.environment);
  const stalePartials: string[] = [];
  for (const name of await readdir(envDir).catch(() => [] as string[])) {
    if (!name.endsWith(PARTIAL_SUFFIX)) continue;
    const st = await stat(join(envDir, name)).catch(() => undefined);
    if (st && opts.ctx.clock().getTime() - st.mtimeMs > STALE_PARTIAL_MS) stalePartials.push(name);
  }
  if (!opts.dryRun) {
    for (const name of stalePartials) await rm(join(envDir, name), { recursive: true, force: true });
    for (const b of doomed) await rm(b.dir, { recursive: true, force: true });
    if (doomed.length) await opts.evidence.record(EVIDENCE.pruned, { environment: opts.environment, deleted: doomed.map((b) => b.id), kept, newestVerified });
  }
  return { kept, deleted: doomed.map((b) => b.id), newestVerified, stalePartials };
}
