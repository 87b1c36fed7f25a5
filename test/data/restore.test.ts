import Database from 'better-sqlite3';
import { chmod, chown, mkdir, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackup } from '../../src/data/create-backup.js';
import { EVIDENCE } from '../../src/data/evidence.js';
import { backupsRoot, findBackup, listBackups } from '../../src/data/layout.js';
import { digestManifest } from '../../src/data/manifest.js';
import { stampOf } from '../../src/data/data-context.js';
import { checkRestorable, restoreBackup } from '../../src/data/restore-backup.js';
import { verifyBackup } from '../../src/data/verify-backup.js';
import { buildInMemoryEvidenceLog } from '../support/data-evidence.js';
import { makeDataProject, type DataProject } from '../support/data-fixture.js';
import { HOLD_EXCLUSIVE_LOCK, startSqliteProcess } from '../support/data-processes.js';
import { hashTree } from '../support/data-tree-hash.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function setup(opts: { verify?: boolean; plant?: (p: DataProject) => Promise<void> } = {}) {
  const p = await makeDataProject();
  cleanup.push(() => p.dispose());
  await opts.plant?.(p);
  const evidence = buildInMemoryEvidenceLog();
  const created = await createBackup({ ctx: p.ctx(), environment: 'production', evidence });
  const ref = await findBackup(backupsRoot(p.dir, '.shipgate/backups'), 'production', created.id);
  if (opts.verify !== false) expect((await verifyBackup({ ctx: p.ctx(), backup: ref, evidence })).passed).toBe(true);
  return { p, evidence, created, ref };
}

const snapshot = async (p: DataProject) => ({
  models: await hashTree(join(p.dir, 'backend/models')),
  logs: await hashTree(join(p.dir, 'logs')),
  storage: await hashTree(join(p.dir, 'storage')),
  db: (await readFile(p.dbPath)).toString('base64'),
});

function jobs(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return Number(db.prepare('select count(*) from jobs').pluck().get());
  } finally {
    db.close();
  }
}

describe('restore', () => {
  it('restores database and storage, takes a safety backup first, leaves protected and excluded paths byte-identical', async () => {
    const { p, evidence, created } = await setup();
    // Production moves on after the backup: rows added, files changed, protected files changed too.
    const db = new Database(p.dbPath);
    db.exec("insert into jobs (name) values ('after-1'), ('after-2')");
    db.close();
    await writeFile(join(p.dir, 'storage/media/a.txt'), 'changed after backup');
    await writeFile(join(p.dir, 'storage/media/new.txt'), 'new after backup');
    await writeFile(join(p.dir, 'storage/backups/newer.zip'), 'excluded, newer');
    await writeFile(join(p.dir, 'logs/app.log'), 'line 1\nline 2\n');
    const protectedBefore = { models: await hashTree(join(p.dir, 'backend/models')), logs: await hashTree(join(p.dir, 'logs')), excluded: await hashTree(join(p.dir, 'storage/backups')) };

    const result = await restoreBackup({ ctx: p.ctx(), environment: 'production', backupId: created.id, evidence });

    expect(jobs(p.dbPath)).toBe(100);
    expect(await readFile(join(p.dir, 'storage/media/a.txt'), 'utf8')).toBe('alpha');
    await expect(readFile(join(p.dir, 'storage/media/new.txt'))).rejects.toThrow(/ENOENT/);
    expect(await hashTree(join(p.dir, 'backend/models'))).toBe(protectedBefore.models);
    expect(await hashTree(join(p.dir, 'logs'))).toBe(protectedBefore.logs);
    expect(await hashTree(join(p.dir, 'storage/backups'))).toBe(protectedBefore.excluded);
    // The safety backup holds the state just before the restore, and is a normal, recorded backup.
    const safety = await findBackup(backupsRoot(p.dir, '.shipgate/backups'), 'production', result.safetyBackup.id);
    expect(jobs(join(safety.dir, 'data/db/database.sqlite'))).toBe(102);
    expect(result.safetyBackup.reason).toBe(`safety-before-restore:${created.id}`);
    expect(evidence.entries.map((e) => e.kind)).toEqual([EVIDENCE.created, EVIDENCE.verified, EVIDENCE.created, EVIDENCE.restored]);
    expect((await readdir(p.dir)).filter((n) => n.includes('shipgate-'))).toEqual([]);
    expect((await readdir(join(p.dir, 'backend'))).filter((n) => n.includes('shipgate-'))).toEqual([]);
  });

  it('brings back a storage folder that was deleted (check-only passes; the safety backup records it as absent)', async () => {
    const { p, evidence, created } = await setup();
    await rm(join(p.dir, 'storage'), { recursive: true });
    expect((await checkRestorable({ ctx: p.ctx(), environment: 'production', backupId: created.id, evidence })).ref.id).toBe(created.id);
    const result = await restoreBackup({ ctx: p.ctx(), environment: 'production', backupId: created.id, evidence });
    expect(await readFile(join(p.dir, 'storage/media/a.txt'), 'utf8')).toBe('alpha');
    const safety = await findBackup(backupsRoot(p.dir, '.shipgate/backups'), 'production', result.safetyBackup.id);
    expect(await readdir(join(safety.dir, 'data'))).not.toContain('files');
  });

  it('refuses, before anything, a storage path that is a file', async () => {
    const { p, evidence, created } = await setup();
    await rm(join(p.dir, 'storage'), { recursive: true });
    await writeFile(join(p.dir, 'storage'), 'not a folder');
    const e = await checkRestorable({ ctx: p.ctx(), environment: 'production', backupId: created.id, evidence }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'SG_DATA_UNSAFE_BACKUP' });
    expect((e as Error).message).toContain('storage is not a folder');
    expect(await readFile(join(p.dir, 'storage'), 'utf8')).toBe('not a folder');
  });

  it('a storage swap that fails after the database was restored says so, names the safety backup, and keeps the folder and its excluded files', async () => {
    const { p, evidence, created } = await setup();
    const at = new Date('2026-11-21T08:20:00.000Z');
    const ctx = { ...p.ctx(), clock: () => at };
    await writeFile(join(p.dir, 'storage/backups/newer.zip'), 'excluded, newer');
    const storageBefore = await hashTree(join(p.dir, 'storage'));
    // Occupy the name the live folder would be moved to: its rename fails (ENOTEMPTY).
    await mkdir(join(p.dir, `storage.shipgate-old-${stampOf(at)}`, 'x'), { recursive: true });
    const db = new Database(p.dbPath);
    db.exec("insert into jobs (name) values ('after')");
    db.close();
    const e = await restoreBackup({ ctx, environment: 'production', backupId: created.id, evidence }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'SG_DATA_RESTORE_PARTIAL' });
    expect((e as Error).message).toMatch(/stopped part-way: the sqlite database restored, the rest not \(.*ENOTEMPTY/);
    expect((e as { hint: string }).hint).toMatch(/shipgate backup restore \S+ --env production --yes/);
    expect(jobs(p.dbPath)).toBe(100); // the database was restored
    expect(await hashTree(join(p.dir, 'storage'))).toBe(storageBefore); // the folder was put back whole
  });

  it.skipIf(process.getuid?.() !== 0)('restored files keep the live owner and mode, and a database in WAL mode stays in WAL mode (needs root to chown)', async () => {
    const { p, evidence, created } = await setup();
    const app = 65534; // nobody: the app's own user, not the one restoring
    const db = new Database(p.dbPath);
    db.pragma('journal_mode = WAL');
    db.close();
    await chmod(p.dbPath, 0o660);
    await chown(p.dbPath, app, app);
    await chmod(join(p.dir, 'storage'), 0o2770);
    await chown(join(p.dir, 'storage'), app, app);
    await chown(join(p.dir, 'storage/media'), app, app);
    await chmod(join(p.dir, 'storage/media/a.txt'), 0o640);
    await chown(join(p.dir, 'storage/media/a.txt'), app, app);
    await rm(join(p.dir, 'storage/media/deep/b.bin')); // gone from the live tree since the backup
    await restoreBackup({ ctx: p.ctx(), environment: 'production', backupId: created.id, evidence });
    const mode = async (rel: string) => { const st = await stat(join(p.dir, rel)); return [st.mode & 0o7777, st.uid, st.gid]; };
    expect(await mode(p.dbPath.slice(p.dir.length + 1))).toEqual([0o660, app, app]);
    expect(await mode('storage')).toEqual([0o2770, app, app]);
    expect((await mode('storage/media')).slice(1)).toEqual([app, app]);
    expect(await mode('storage/media/a.txt')).toEqual([0o640, app, app]);
    // A file the live tree no longer had takes the storage folder's owner.
    expect((await mode('storage/media/deep/b.bin')).slice(1)).toEqual([app, app]);
    const back = new Database(p.dbPath, { readonly: true });
    expect(back.pragma('journal_mode', { simple: true })).toBe('wal');
    back.close();
  });

  it('prepares every part before swapping any: a storage copy that cannot be built leaves the database as it was', async () => {
    const { p, evidence, created } = await setup();
    const at = new Date('2026-11-21T08:30:00.000Z');
    const db = new Database(p.dbPath);
    db.exec("insert into jobs (name) values ('after')");
    db.close();
    // A file where the storage copy is to be built beside the live folder.
    await writeFile(join(p.dir, `storage.shipgate-restore-${stampOf(at)}`), 'in the way');
    const e = await restoreBackup({ ctx: { ...p.ctx(), clock: () => at }, environment: 'production', backupId: created.id, evidence }).catch((x: unknown) => x);
    expect((e as NodeJS.ErrnoException).code).toMatch(/EEXIST|ENOTDIR/);
    expect(jobs(p.dbPath)).toBe(101); // not swapped: the database copy was prepared, then discarded
    expect((await readdir(join(p.dir, 'backend'))).filter((n) => n.includes('shipgate-'))).toEqual([]);
    expect(await readFile(join(p.dir, `storage.shipgate-restore-${stampOf(at)}`), 'utf8')).toBe('in the way');
  });

  it('refuses an unverified backup and touches nothing', async () => {
    const { p, evidence, created } = await setup({ verify: false });
    const before = await snapshot(p);
    await expect(restoreBackup({ ctx: p.ctx(), environment: 'production', backupId: created.id, evidence })).rejects.toMatchObject({ code: 'SG_DATA_NOT_VERIFIED', exitCode: 1, hint: `shipgate backup verify ${created.id} --env production` });
    expect(await snapshot(p)).toEqual(before);
    expect(await listBackups(backupsRoot(p.dir, '.shipgate/backups'), 'production')).toHaveLength(1);
  });

  it('refuses a backup whose files changed after verification (checksums re-checked right before)', async () => {
    const { p, evidence, created, ref } = await setup();
    await writeFile(join(ref.dir, 'data/files/storage/media/a.txt'), 'tampered');
    const before = await snapshot(p);
    await expect(restoreBackup({ ctx: p.ctx(), environment: 'production', backupId: created.id, evidence })).rejects.toThrow(/files\/storage\/media\/a\.txt: size-mismatch/);
    expect(await snapshot(p)).toEqual(before);
  });

  it('refuses a symlink planted in storage that points into a protected path, before touching anything', async () => {
    const { p, evidence, created } = await setup({
      plant: async (p) => symlink('../backend/models', join(p.dir, 'storage/models-link')),
    });
    const before = await snapshot(p);
    const e = await restoreBackup({ ctx: p.ctx(), environment: 'production', backupId: created.id, evidence }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'SG_DATA_UNSAFE_BACKUP', exitCode: 1 });
    expect((e as Error).message).toContain('files/storage/models-link: symlink ../backend/models points into protected path backend/models');
    expect(await snapshot(p)).toEqual(before);
    expect(await listBackups(backupsRoot(p.dir, '.shipgate/backups'), 'production')).toHaveLength(1); // no safety backup taken
  });

  it('refuses a symlink pointing outside the storage folder', async () => {
    const { p, evidence, created } = await setup({ plant: async (p) => symlink('/etc/passwd', join(p.dir, 'storage/abs-link')) });
    await expect(restoreBackup({ ctx: p.ctx(), environment: 'production', backupId: created.id, evidence })).rejects.toThrow(/files\/storage\/abs-link: symlink to absolute path \/etc\/passwd/);
  });

  it('refuses a ../ entry into a protected path even when a ledger entry claims the backup verified', async () => {
    const { p, evidence, ref } = await setup({ verify: false });
    // A crafted manifest (e.g. written by hand or an older tool) with an entry escaping into backend/models.
    const manifestPath = join(ref.dir, 'manifest.json');
    const m = JSON.parse(await readFile(manifestPath, 'utf8'));
    m.entries.push({ path: 'files/storage/../backend/models/model.bin', type: 'file', size: 4, sha256: '0'.repeat(64) });
    await mkdir(join(ref.dir, 'data/files/backend/models'), { recursive: true });
    await writeFile(join(ref.dir, 'data/files/backend/models/model.bin'), 'evil');
    await writeFile(manifestPath, JSON.stringify(m));
    // verify itself refuses the entry…
    const report = await verifyBackup({ ctx: p.ctx(), backup: ref, evidence });
    expect(report.checks.find((c) => c.name === 'manifest-checksums')!.measured).toContain('files/storage/../backend/models/model.bin: unsafe-path');
    // …and restore refuses it even if the ledger says verified.
    await evidence.record(EVIDENCE.verified, { id: ref.id, environment: 'production', path: ref.dir, manifestDigest: digestManifest(m), passed: true, checks: [] });
    const before = await snapshot(p);
    await expect(restoreBackup({ ctx: p.ctx(), environment: 'production', backupId: ref.id, evidence })).rejects.toMatchObject({ code: 'SG_DATA_UNSAFE_BACKUP' });
    expect(await snapshot(p)).toEqual(before);
  });

  it('refuses when a protected path overlaps a storage folder', async () => {
    const { p, evidence, created } = await setup();
    const ctx = p.ctx({ protect: ['storage/media'] });
    await expect(restoreBackup({ ctx, environment: 'production', backupId: created.id, evidence })).rejects.toThrow(/storage folder storage overlaps protected path storage\/media/);
  });

  it('checkRestorable (restore check-only) passes while the app still holds the database, and writes nothing', async () => {
    const { p, evidence, created } = await setup();
    const before = await snapshot(p);
    const holder = await startSqliteProcess(p.dbPath, HOLD_EXCLUSIVE_LOCK);
    cleanup.push(holder.stop);
    const c = await checkRestorable({ ctx: p.ctx(), environment: 'production', backupId: created.id, evidence });
    expect(c.ref.id).toBe(created.id);
    await holder.stop();
    cleanup.pop();
    // The lock holder itself rewrites the file's header, so compare what is in it, and the rest byte for byte.
    const after = await snapshot(p);
    expect({ ...after, db: null }).toEqual({ ...before, db: null });
    expect(jobs(p.dbPath)).toBe(100);
    // No safety backup: the check restores nothing, so it keeps nothing either.
    expect(await listBackups(backupsRoot(p.dir, '.shipgate/backups'), 'production')).toHaveLength(1);
  });

  it('checkRestorable refuses what restore would refuse: an unverified or a changed backup', async () => {
    const unverified = await setup({ verify: false });
    await expect(checkRestorable({ ctx: unverified.p.ctx(), environment: 'production', backupId: unverified.created.id, evidence: unverified.evidence })).rejects.toMatchObject({ code: 'SG_DATA_NOT_VERIFIED' });
    const changed = await setup();
    await writeFile(join(changed.ref.dir, 'data/files/storage/media/a.txt'), 'tampered');
    await expect(checkRestorable({ ctx: changed.p.ctx(), environment: 'production', backupId: changed.created.id, evidence: changed.evidence })).rejects.toMatchObject({ code: 'SG_DATA_CHECKSUM_MISMATCH' });
    // The live database is gone: the restore would fail after the app was stopped, so the check says so now.
    const noLive = await setup();
    await rm(noLive.p.dbPath);
    await expect(checkRestorable({ ctx: noLive.p.ctx(), environment: 'production', backupId: noLive.created.id, evidence: noLive.evidence })).rejects.toMatchObject({ code: 'SG_DATA_DB_MISSING' });
  });

  it('database locked by another process: clear error, live data untouched, no safety backup', async () => {
    const { p, evidence, created } = await setup();
    const before = await snapshot(p);
    const holder = await startSqliteProcess(p.dbPath, HOLD_EXCLUSIVE_LOCK);
    cleanup.push(holder.stop);
    const e = await restoreBackup({ ctx: p.ctx(), environment: 'production', backupId: created.id, evidence }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'SG_DATA_DB_LOCKED', exitCode: 1 });
    expect((e as Error).message).toContain(p.dbPath);
    await holder.stop();
    cleanup.pop();
    const after = await snapshot(p);
    expect(after.models).toBe(before.models);
    expect(after.storage).toBe(before.storage);
    expect(after.logs).toBe(before.logs);
    expect(jobs(p.dbPath)).toBe(100);
    expect(await listBackups(backupsRoot(p.dir, '.shipgate/backups'), 'production')).toHaveLength(1);
  });

  it('database missing at restore: clear error naming it, storage untouched', async () => {
    const { p, evidence, created } = await setup();
    await rm(p.dbPath);
    const storage = await hashTree(join(p.dir, 'storage'));
    await expect(restoreBackup({ ctx: p.ctx(), environment: 'production', backupId: created.id, evidence })).rejects.toMatchObject({ code: 'SG_DATA_DB_MISSING' });
    expect(await hashTree(join(p.dir, 'storage'))).toBe(storage);
  });
});
