import Database from 'better-sqlite3';
import { copyFile, mkdir, utimes, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { buildManifest, digestManifest } from '../../src/data/manifest.js';
import { createBackup } from '../../src/data/create-backup.js';
import { isBackupVerified } from '../../src/data/evidence.js';
import { findBackup, backupsRoot, listBackups } from '../../src/data/layout.js';
import { sqliteAdapter } from '../../src/data/sqlite-adapter.js';
import { pruneBackups } from '../../src/data/prune-backups.js';
import { verifyBackup } from '../../src/data/verify-backup.js';
import { buildInMemoryEvidenceLog } from '../support/data-evidence.js';
import { makeDataProject, type DataProject } from '../support/data-fixture.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function project(opts?: Parameters<typeof makeDataProject>[0]): Promise<DataProject> {
  const p = await makeDataProject(opts);
  cleanup.push(() => p.dispose());
  return p;
}

async function backupAndRef(p: DataProject) {
  const evidence = buildInMemoryEvidenceLog();
  const created = await createBackup({ ctx: p.ctx(), environment: 'production', evidence });
  const ref = await findBackup(backupsRoot(p.dir, '.shipgate/backups'), 'production', created.id);
  return { evidence, created, ref };
}

describe('backup create (sqlite + storage files)', () => {
  it('writes data, manifest and metadata, honours exclude, keeps symlinks, records backup-created', async () => {
    const p = await project();
    const { evidence, created, ref } = await backupAndRef(p);
    const manifest = JSON.parse(await readFile(join(ref.dir, 'manifest.json'), 'utf8'));
    const paths = manifest.entries.map((e: { path: string }) => e.path);
    expect(paths).toEqual(['db/database.sqlite', 'files/storage/link-to-a', 'files/storage/media/a.txt', 'files/storage/media/deep/b.bin']);
    expect(manifest.entries[1]).toMatchObject({ type: 'symlink', target: 'media/a.txt' });
    const meta = JSON.parse(await readFile(join(ref.dir, 'metadata.json'), 'utf8'));
    expect(meta.database.rowCounts).toEqual({ jobs: 100, tags: 1 });
    expect(meta.database.serverVersion).toMatch(/^3\./);
    expect(evidence.entries.map((e) => e.kind)).toEqual(['backup-created']);
    expect(evidence.entries[0]!.data).toMatchObject({ id: created.id, manifestDigest: created.manifestDigest, path: ref.dir });
    expect(await readdir(join(p.dir, '.shipgate/backups/production'))).toEqual([created.id]);
  });

  it('verifies a good backup: every check passes, scratch removed, ledger says verified', async () => {
    const p = await project();
    const { evidence, created, ref } = await backupAndRef(p);
    const report = await verifyBackup({ ctx: p.ctx(), backup: ref, evidence });
    expect(report.checks.filter((c) => !c.passed)).toEqual([]);
    expect(report.checks.map((c) => c.name)).toEqual(['manifest-digest', 'metadata-digest', 'manifest-checksums', 'database-restore', 'sqlite-integrity-check', 'row-counts', 'database-has-tables', 'files-restore', 'files-rehash-after-restore']);
    expect(await isBackupVerified(evidence, created.id, created.manifestDigest)).toBe(true);
    expect(await readdir(join(p.dir, 'scratch'))).toEqual([]);
    expect(JSON.parse(await readFile(join(ref.dir, 'verification.json'), 'utf8')).passed).toBe(true);
  });

  it('keeps the scratch copy with keepScratch', async () => {
    const p = await project();
    const { evidence, ref } = await backupAndRef(p);
    await verifyBackup({ ctx: p.ctx(), backup: ref, evidence, keepScratch: true });
    const kept = await readdir(join(p.dir, 'scratch'));
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatch(/^restore-\d{8}T\d{6}Z-/);
  });

  const faults: Array<[string, (dir: string) => Promise<void>, RegExp]> = [
    ['a flipped byte', async (d) => flipByte(join(d, 'data/files/storage/media/deep/b.bin'), 1234), /files\/storage\/media\/deep\/b\.bin: checksum-mismatch/],
    ['a truncated file', async (d) => truncate(join(d, 'data/db/database.sqlite'), 4096), /db\/database\.sqlite: size-mismatch/],
    ['a deleted file', async (d) => rm(join(d, 'data/files/storage/media/a.txt')), /files\/storage\/media\/a\.txt: missing/],
    ['an extra file', async (d) => writeFile(join(d, 'data/files/storage/media/planted.sh'), 'rm -rf /'), /files\/storage\/media\/planted\.sh: extra-file/],
  ];
  for (const [what, damage, named] of faults) {
    it(`fails verification on ${what}, naming the file, and the ledger says not verified`, async () => {
      const p = await project();
      const { evidence, created, ref } = await backupAndRef(p);
      await damage(ref.dir);
      const report = await verifyBackup({ ctx: p.ctx(), backup: ref, evidence });
      expect(report.passed).toBe(false);
      const failed = report.checks.find((c) => c.name === 'manifest-checksums')!;
      expect(failed.passed).toBe(false);
      expect(failed.measured).toMatch(named);
      expect(await isBackupVerified(evidence, created.id, report.manifestDigest)).toBe(false);
      expect(evidence.entries.at(-1)!.kind).toBe('backup-verification-failed');
    });
  }

  it('a verification that passed once is superseded by a newer failed one', async () => {
    const p = await project();
    const { evidence, created, ref } = await backupAndRef(p);
    expect((await verifyBackup({ ctx: p.ctx(), backup: ref, evidence })).passed).toBe(true);
    await flipByte(join(ref.dir, 'data/files/storage/media/a.txt'), 0);
    expect((await verifyBackup({ ctx: p.ctx(), backup: ref, evidence })).passed).toBe(false);
    expect(await isBackupVerified(evidence, created.id, created.manifestDigest)).toBe(false);
  });

  it('fails when the manifest was rewritten to match tampered data (digest differs from the ledger)', async () => {
    const p = await project();
    const { evidence, ref } = await backupAndRef(p);
    const mPath = join(ref.dir, 'manifest.json');
    const m = JSON.parse(await readFile(mPath, 'utf8'));
    m.entries = m.entries.filter((e: { path: string }) => e.path !== 'files/storage/media/a.txt');
    await rm(join(ref.dir, 'data/files/storage/media/a.txt'));
    await writeFile(mPath, JSON.stringify(m));
    const report = await verifyBackup({ ctx: p.ctx(), backup: ref, evidence });
    expect(report.checks.find((c) => c.name === 'manifest-digest')!.passed).toBe(false);
    expect(report.passed).toBe(false);
  });

  it('PRAGMA integrity_check fails on a restored copy with a corrupted page', async () => {
    const p = await project({ rows: 5000 });
    const { ref } = await backupAndRef(p);
    const meta = JSON.parse(await readFile(join(ref.dir, 'metadata.json'), 'utf8'));
    const copy = join(p.dir, 'corrupt.sqlite');
    await copyFile(join(ref.dir, 'data/db/database.sqlite'), copy);
    // Page 3 onwards holds the jobs b-tree; smash a run of bytes in the middle of a page.
    for (let i = 0; i < 64; i++) await flipByte(copy, 4096 * 3 + 100 + i);
    const checks = await sqliteAdapter.checkRestored({ location: copy, env: {}, drop: async () => {} }, meta.database, p.ctx());
    const integrity = checks.find((c) => c.name === 'sqlite-integrity-check')!;
    expect(integrity.passed).toBe(false);
    expect(integrity.measured).not.toBe('ok');
  });

  it('records the git commit when the project is a git checkout', async () => {
    const p = await project();
    const git = (...a: string[]) => execa('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...a], { cwd: p.dir });
    await git('init', '-q');
    await git('add', '-A');
    await git('commit', '-qm', 'init');
    const head = (await git('rev-parse', 'HEAD')).stdout.trim();
    const { created } = await backupAndRef(p);
    expect(created.metadata.gitCommit).toBe(head);
  });

  it('a restored copy that cannot even be read is a recorded failed check, not a crash', async () => {
    const p = await project({ rows: 3000 });
    const { evidence, ref } = await backupAndRef(p);
    const db = join(ref.dir, 'data/db/database.sqlite');
    // Overwrite the schema page (page 1 after the 100-byte header) so SQLite cannot read the schema,
    // then reseal the manifest and ledger as if the damage predated the manifest.
    const buf = await readFile(db);
    buf.fill(0xab, 100, 4096);
    await writeFile(db, buf);
    const m = await buildManifest(join(ref.dir, 'data'));
    await writeFile(join(ref.dir, 'manifest.json'), JSON.stringify(m));
    await evidence.record('backup-created', { id: ref.id, manifestDigest: digestManifest(m) });
    const report = await verifyBackup({ ctx: p.ctx(), backup: ref, evidence });
    expect(report.passed).toBe(false);
    const failed = report.checks.filter((c) => !c.passed).map((c) => c.name);
    // manifest-digest fails too: the ledger keeps the FIRST backup-created digest for an id.
    expect(failed).toEqual(['manifest-digest', 'restored-copy-readable']);
    expect(evidence.entries.at(-1)!.kind).toBe('backup-verification-failed');
  });

  it('prune removes .partial folders left by a killed process (older than an hour), never fresh ones', async () => {
    const p = await project();
    await backupAndRef(p);
    const envDir = join(p.dir, '.shipgate/backups/production');
    await mkdir(join(envDir, '20200101T000000000Z-dead00.partial/data'), { recursive: true });
    await mkdir(join(envDir, '20990101T000000000Z-live00.partial'), { recursive: true });
    const old = new Date(Date.now() - 2 * 3_600_000);
    await utimes(join(envDir, '20200101T000000000Z-dead00.partial'), old, old);
    const r = await pruneBackups({ ctx: p.ctx(), environment: 'production', evidence: buildInMemoryEvidenceLog(), keep: 5 });
    expect(r.stalePartials).toEqual(['20200101T000000000Z-dead00.partial']);
    expect((await readdir(envDir)).filter((n) => n.endsWith('.partial'))).toEqual(['20990101T000000000Z-live00.partial']);
  });

  it('a database missing: clear error, no backup folder left', async () => {
    const p = await project();
    await rm(p.dbPath);
    await expect(createBackup({ ctx: p.ctx(), environment: 'production', evidence: buildInMemoryEvidenceLog() })).rejects.toMatchObject({ code: 'SG_DATA_DB_MISSING', exitCode: 1 });
    expect(await listBackups(backupsRoot(p.dir, '.shipgate/backups'), 'production')).toEqual([]);
    expect(await readdir(join(p.dir, '.shipgate/backups/production'))).toEqual([]);
  });

  it('a row count that differs fails row-counts, naming the table', async () => {
    const p = await project();
    const { evidence, ref } = await backupAndRef(p);
    const metaPath = join(ref.dir, 'metadata.json');
    const meta = JSON.parse(await readFile(metaPath, 'utf8'));
    meta.database.rowCounts.jobs = 99;
    await writeFile(metaPath, JSON.stringify(meta));
    const report = await verifyBackup({ ctx: p.ctx(), backup: ref, evidence });
    const rc = report.checks.find((c) => c.name === 'row-counts')!;
    expect(rc.passed).toBe(false);
    expect(JSON.stringify(rc.details)).toContain('table jobs: expected 99 rows, restored copy has 100');
  });

  it('writes nothing into the live database while backing up', async () => {
    const p = await project();
    const before = await readFile(p.dbPath);
    await backupAndRef(p);
    expect(Buffer.compare(before, await readFile(p.dbPath))).toBe(0);
    const db = new Database(p.dbPath, { readonly: true });
    expect(db.prepare('select count(*) from jobs').pluck().get()).toBe(100);
    db.close();
  });
});

async function flipByte(path: string, offset: number): Promise<void> {
  const buf = await readFile(path);
  buf[offset] = buf[offset]! ^ 0xff;
  await writeFile(path, buf);
}
