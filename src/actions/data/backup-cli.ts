import { ExitCode } from '../../core/exit-codes.js';
import { UserError } from '../../core/errors.js';
import { formatDuration } from '../../core/duration.js';
import { createBackup } from '../../data/create-backup.js';
import type { DataContext } from '../../data/data-context.js';
import { isBackupVerified, latestVerification } from '../../data/evidence.js';
import { backupsRoot, findBackup, listBackups, manifestDigestOrNull } from '../../data/layout.js';
import { pruneBackups } from '../../data/prune-backups.js';
import { rehearse } from '../../data/rehearse.js';
import { restoreBackup } from '../../data/restore-backup.js';
import { verifyBackup } from '../../data/verify-backup.js';
import type { CheckRecord, EvidenceLog } from '../action.js';
import type { LoadedRunbook } from '../../runbook/loaded-runbook.js';
import { resolveActor } from '../../cli/actor.js';
import { converse } from '../../cli/ask-line.js';
import type { CliIO } from '../../cli/io.js';
import { loadRunbookOrExit } from '../../cli/load-or-exit.js';
import { openStoreForCli } from '../../cli/state-dir.js';
import type { DataCliOptions } from '../../cli/commands/backup.js';
import { dataContextFor } from './data-context-for.js';
import { storeEvidenceLog } from './store-evidence-log.js';

interface Session {
  readonly loaded: LoadedRunbook;
  readonly ctx: DataContext;
  readonly environment: string;
  readonly evidence: EvidenceLog;
  readonly close: () => Promise<void>;
}

/** Loads the runbook, picks the environment, opens the store: what every data command needs. */
async function open(io: CliIO, file: string, o: DataCliOptions): Promise<Session> {
  const loaded = await loadRunbookOrExit(io, file);
  const envs = Object.keys(loaded.runbook.environments);
  const environment = o.env ?? (envs.length === 1 ? envs[0]! : undefined);
  if (!environment) throw new UserError('SG_ENV_REQUIRED', `--env is required: ${file} has environments ${envs.join(', ')}`, `add --env ${envs[0] ?? 'NAME'}`);
  if (!envs.includes(environment)) throw new UserError('SG_ENV_UNKNOWN', `environment ${environment} is not in ${file} (known: ${envs.join(', ')})`, `use --env ${envs[0] ?? 'NAME'}`);
  const vars = loaded.runbook.environments[environment]!.vars;
  const ctx = dataContextFor(loaded, { env: io.env, vars, signal: new AbortController().signal, log: o.json ? () => {} : (l) => io.stderr.write(`  ${l}\n`) });
  const store = await openStoreForCli(io, { file, ...(o.state ? { state: o.state } : {}) });
  const evidence = storeEvidenceLog(store, resolveActor(io.env, io.cwd));
  return { loaded, ctx, environment, evidence, close: () => store.close() };
}

async function withSession(io: CliIO, file: string, o: DataCliOptions, fn: (s: Session) => Promise<ExitCode>): Promise<ExitCode> {
  const s = await open(io, file, o);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

const json = (io: CliIO, v: unknown): void => void io.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
const mark = (c: CheckRecord): string => `${c.passed ? '✓' : '✗'} ${c.name.padEnd(28)} ${c.measured ?? ''}${c.ms !== undefined ? ` (${formatDuration(c.ms)})` : ''}`;

export function backupCreate(io: CliIO, file: string, o: DataCliOptions): Promise<ExitCode> {
  return withSession(io, file, o, async (s) => {
    const b = await createBackup({ ctx: s.ctx, environment: s.environment, evidence: s.evidence, runbookDigest: s.loaded.digest });
    if (o.json) json(io, { id: b.id, environment: b.environment, path: b.path, createdAt: b.createdAt, totalSize: b.totalSize, files: b.files, manifestDigest: b.manifestDigest, verified: false });
    else io.stdout.write(`backup ${b.id} created: ${b.path}\n  ${b.files} files, ${b.totalSize} bytes, manifest sha256 ${b.manifestDigest}\n  next: shipgate backup verify ${b.id} --env ${s.environment}\n`);
    return ExitCode.Success;
  });
}

export function backupVerify(io: CliIO, id: string, file: string, o: DataCliOptions & { keepScratch?: boolean; allowEmptyDatabase?: boolean }): Promise<ExitCode> {
  return withSession(io, file, o, async (s) => {
    const ref = await findBackup(backupsRoot(s.ctx.baseDir, s.ctx.config.backups), s.environment, id);
    const r = await verifyBackup({ ctx: s.ctx, backup: ref, evidence: s.evidence, keepScratch: o.keepScratch ?? false, allowEmptyDatabase: o.allowEmptyDatabase ?? false });
    if (o.json) json(io, r);
    else {
      for (const c of r.checks) io.stdout.write(`${mark(c)}\n`);
      io.stdout.write(r.passed ? `backup ${id} verified\n` : `backup ${id} FAILED verification: ${r.checks.filter((c) => !c.passed).map((c) => c.name).join(', ')}\n`);
    }
    return r.passed ? ExitCode.Success : ExitCode.Failed;
  });
}

export function backupList(io: CliIO, file: string, o: DataCliOptions): Promise<ExitCode> {
  return withSession(io, file, o, async (s) => {
    const rows = [];
    for (const b of await listBackups(backupsRoot(s.ctx.baseDir, s.ctx.config.backups), s.environment)) {
      const digest = await manifestDigestOrNull(b.dir);
      if (digest === null) {
        // Listed (not hidden) so that the damaged backup can be seen and pruned.
        rows.push({ ...b, manifestDigest: null, verified: false, lastVerification: 'manifest.json damaged' });
        continue;
      }
      const last = await latestVerification(s.evidence, b.id, digest);
      rows.push({ ...b, manifestDigest: digest, verified: await isBackupVerified(s.evidence, b.id, digest), lastVerification: last ? (last.passed ? 'passed' : 'failed') : 'never' });
    }
    if (o.json) json(io, rows);
    else if (!rows.length) io.stdout.write(`no backups for ${s.environment}\n  next: shipgate backup create --env ${s.environment}\n`);
    else for (const r of rows) io.stdout.write(`${r.id}  ${r.createdAt}  ${r.verified ? 'verified' : `not verified (last verification: ${r.lastVerification})`}\n`);
    return ExitCode.Success;
  });
}

export async function backupRestore(io: CliIO, id: string, file: string, o: DataCliOptions & { yes?: boolean }): Promise<ExitCode> {
  if (!o.yes) {
    if (!io.stdin.isTTY) throw new UserError('SG_CONFIRM_REQUIRED', `restore replaces live data and needs confirmation; stdin is not a terminal, nothing was touched`, `shipgate backup restore ${id} --yes${o.env ? ` --env ${o.env}` : ''}`);
    const rl = converse(io.stdin, io.stderr);
    const answer = await rl.ask(`Restore backup ${id} over the live database and storage (a safety backup is taken first)? Type "yes": `);
    rl.close();
    if (answer?.trim().toLowerCase() !== 'yes') {
      io.stderr.write('restore cancelled; nothing was touched\n');
      return ExitCode.Failed;
    }
  }
  return withSession(io, file, o, async (s) => {
    const r = await restoreBackup({ ctx: s.ctx, environment: s.environment, backupId: id, evidence: s.evidence, runbookDigest: s.loaded.digest });
    if (o.json) json(io, { backupId: r.backupId, safetyBackupId: r.safetyBackup.id, database: r.database, folders: r.folders });
    else io.stdout.write(`restored backup ${r.backupId}${r.database ? ` (database: ${r.database})` : ''}${r.folders.length ? ` (storage: ${r.folders.join(', ')})` : ''}\n  safety backup of the previous state: ${r.safetyBackup.id}\n`);
    return ExitCode.Success;
  });
}

export function backupPrune(io: CliIO, file: string, o: DataCliOptions & { keep?: number; dryRun?: boolean }): Promise<ExitCode> {
  return withSession(io, file, o, async (s) => {
    if (o.keep !== undefined && !(o.keep >= 1)) throw new UserError('SG_BAD_FLAG', '--keep must be a whole number ≥ 1', 'shipgate backup prune --keep 5');
    const r = await pruneBackups({ ctx: s.ctx, environment: s.environment, evidence: s.evidence, ...(o.keep !== undefined ? { keep: o.keep } : {}), dryRun: o.dryRun ?? false });
    if (o.json) json(io, { ...r, dryRun: o.dryRun ?? false });
    else io.stdout.write(`${o.dryRun ? 'would delete' : 'deleted'} ${r.deleted.length} backup(s)${r.deleted.length ? `: ${r.deleted.join(', ')}` : ''}; kept ${r.kept.length}${r.newestVerified ? ` (newest verified: ${r.newestVerified})` : ''}\n`);
    return ExitCode.Success;
  });
}

export function rehearseCommand(io: CliIO, file: string, o: DataCliOptions & { smoke?: string[]; keepScratch?: boolean; allowUnchangedSchema?: boolean }): Promise<ExitCode> {
  return withSession(io, file, o, async (s) => {
    const r = await rehearse({ ctx: s.ctx, runbook: s.loaded.runbook, environment: s.environment, evidence: s.evidence, smoke: o.smoke ?? [], keepScratch: o.keepScratch ?? false, allowUnchangedSchema: o.allowUnchangedSchema ?? false });
    if (o.json) json(io, r);
    else {
      for (const c of r.checks) io.stdout.write(`${mark(c)}\n`);
      io.stdout.write(`schema: ${r.schemaBefore?.tables.length ?? 0} tables before, ${r.schemaAfter?.tables.length ?? 0} after${r.schemaBefore?.digest !== r.schemaAfter?.digest ? ' (changed)' : ' (unchanged)'}\n`);
      io.stdout.write(r.passed ? `rehearsal on backup ${r.backupId} passed\n` : `rehearsal on backup ${r.backupId} FAILED: ${r.checks.filter((c) => !c.passed).map((c) => c.name).join(', ')}\n`);
    }
    return r.passed ? ExitCode.Success : ExitCode.Failed;
  });
}
