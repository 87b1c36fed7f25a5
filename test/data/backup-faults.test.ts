import Database from 'better-sqlite3';
import { execa } from 'execa';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackup } from '../../src/data/create-backup.js';
import { EVIDENCE } from '../../src/data/evidence.js';
import { backupsRoot, findBackup, listBackups } from '../../src/data/layout.js';
import { checkRestorable, restoreBackup } from '../../src/data/restore-backup.js';
import { verifyBackup } from '../../src/data/verify-backup.js';
import { buildInMemoryEvidenceLog } from '../support/data-evidence.js';
import { makeDataProject } from '../support/data-fixture.js';
import { HOLD_EXCLUSIVE_LOCK, startSqliteProcess, WRITE_CONTINUOUSLY } from '../support/data-processes.js';
import { tmpfsMountable } from '../support/data-services.js';
import { hashTree } from '../support/data-tree-hash.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});
const canMount = await tmpfsMountable();

describe('backup under real-world faults', () => {
  it('is consistent while another process writes during the backup', async () => {
    const p = await makeDataProject({ rows: 20_000 });
    cleanup.push(() => p.dispose());
    const writer = await startSqliteProcess(p.dbPath, WRITE_CONTINUOUSLY);
    cleanup.push(writer.stop);
    const evidence = buildInMemoryEvidenceLog();
    await new Promise((r) => setTimeout(r, 200)); // let it write for a while first
    const created = await createBackup({ ctx: p.ctx(), environment: 'production', evidence });
    const ref = await findBackup(backupsRoot(p.dir, '.shipgate/backups'), 'production', created.id);
    const report = await verifyBackup({ ctx: p.ctx(), backup: ref, evidence });
    await writer.stop();
    cleanup.pop();
    expect(report.checks.filter((c) => !c.passed)).toEqual([]);
    const counted = created.metadata.database!.rowCounts.jobs!;
    expect(counted).toBeGreaterThan(20_000); // the writer's rows up to the snapshot are in
    const live = new Database(p.dbPath, { readonly: true });
    const liveCount = Number(live.prepare('select count(*) from jobs').pluck().get());
    live.close();
    expect(liveCount).toBeGreaterThan(counted); // and it went on writing afterwards
  });

  it('database locked by another process: clear error, no partial backup left', async () => {
    const p = await makeDataProject();
    cleanup.push(() => p.dispose());
    const holder = await startSqliteProcess(p.dbPath, HOLD_EXCLUSIVE_LOCK);
    cleanup.push(holder.stop);
    const e = await createBackup({ ctx: p.ctx(), environment: 'production', evidence: buildInMemoryEvidenceLog() }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'SG_DATA_DB_LOCKED', exitCode: 1 });
    expect((e as Error).message).toContain(p.dbPath);
    expect(await readdir(join(p.dir, '.shipgate/backups/production'))).toEqual([]);
  });

  it.skipIf(!canMount)('disk filling mid-backup (2 MB tmpfs): SG_DATA_DISK_FULL, partial removed, live data untouched', async () => {
    const p = await makeDataProject({ rows: 200_000 }); // ~ 4 MB database: cannot fit in 2 MB
    cleanup.push(() => p.dispose());
    const mnt = join(p.dir, 'small-disk');
    await mkdir(mnt);
    await execa('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mnt]);
    cleanup.push(async () => void (await execa('umount', [mnt])));
    // A reader may leave empty -wal/-shm files beside a WAL database (SQLite's own behaviour), so
    // compare the database file itself and the protected folder.
    const before = await hashTree(join(p.dir, 'backend/models'));
    const dbBytes = await readFile(p.dbPath);
    const storage = await hashTree(join(p.dir, 'storage'));
    const evidence = buildInMemoryEvidenceLog();
    const e = await createBackup({ ctx: p.ctx({ backups: 'small-disk' }), environment: 'production', evidence }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'SG_DATA_DISK_FULL', exitCode: 1 });
    expect(await readdir(join(mnt, 'production'))).toEqual([]);
    expect(await listBackups(mnt, 'production')).toEqual([]);
    expect(evidence.entries).toEqual([]);
    expect(await hashTree(join(p.dir, 'backend/models'))).toBe(before);
    expect(Buffer.compare(dbBytes, await readFile(p.dbPath))).toBe(0);
    expect(await hashTree(join(p.dir, 'storage'))).toBe(storage);
  });

  it.skipIf(!canMount)('disk filling while copying storage files: names the file, partial removed', async () => {
    const p = await makeDataProject({ withDb: false });
    cleanup.push(() => p.dispose());
    await execa('dd', ['if=/dev/urandom', `of=${join(p.dir, 'storage/media/big.bin')}`, 'bs=1M', 'count=3', 'status=none']);
    const mnt = join(p.dir, 'small-disk');
    await mkdir(mnt);
    await execa('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mnt]);
    cleanup.push(async () => void (await execa('umount', [mnt])));
    const e = await createBackup({ ctx: p.ctx({ backups: 'small-disk', database: undefined }), environment: 'production', evidence: buildInMemoryEvidenceLog() }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'SG_DATA_COPY_FAILED', exitCode: 1 });
    expect((e as Error).message).toContain('storage/media/big.bin');
    expect((e as Error).message).toContain('ENOSPC');
    expect(await readdir(join(mnt, 'production'))).toEqual([]);
  });
});

describe('interrupted backup', () => {
  it('Ctrl-C (an aborted signal) removes the partial folder and records nothing', async () => {
    const p = await makeDataProject();
    cleanup.push(() => p.dispose());
    const ac = new AbortController();
    const evidence = buildInMemoryEvidenceLog();
    const ctx = p.ctx({}, { signal: ac.signal, log: (l) => l.startsWith('dumping') && ac.abort() });
    const e = await createBackup({ ctx, environment: 'production', evidence }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'SG_DATA_ABORTED', exitCode: 1 });
    expect(await readdir(join(p.dir, '.shipgate/backups/production'))).toEqual([]);
    expect(evidence.entries).toEqual([]);
  });
  it.skipIf(!canMount)('restore check refuses, before anything, when the restored copy of a storage folder would not fit beside it (4 MB tmpfs)', async () => {
    const p = await makeDataProject();
    cleanup.push(() => p.dispose());
    const vol = join(p.dir, 'vol');
    await mkdir(vol);
    await execa('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', vol]);
    cleanup.push(async () => void (await execa('umount', [vol])));
    await mkdir(join(vol, 'storage'));
    await execa('dd', ['if=/dev/urandom', `of=${join(vol, 'storage/big.bin')}`, 'bs=1M', 'count=3', 'status=none']);
    const ctx = p.ctx({ storage: ['vol/storage'], exclude: [] });
    const evidence = buildInMemoryEvidenceLog();
    const created = await createBackup({ ctx, environment: 'production', evidence });
    const ref = await findBackup(backupsRoot(p.dir, '.shipgate/backups'), 'production', created.id);
    expect((await verifyBackup({ ctx, backup: ref, evidence })).passed).toBe(true);
    const before = await hashTree(vol);
    const e = await checkRestorable({ ctx, environment: 'production', backupId: created.id, evidence }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'SG_DATA_DISK_SPACE' });
    expect((e as Error).message).toMatch(/the restored copy of vol\/storage need about 3\.\d MB, \d\.\d MB free/);
    // The real restore stops at the same check: nothing stopped half-way, no safety backup taken.
    const r = await restoreBackup({ ctx, environment: 'production', backupId: created.id, evidence }).catch((x: unknown) => x);
    expect(r).toMatchObject({ code: 'SG_DATA_DISK_SPACE' });
    expect(await hashTree(vol)).toBe(before);
    expect(evidence.entries.filter((x) => x.kind === EVIDENCE.created)).toHaveLength(1);
  });
});
