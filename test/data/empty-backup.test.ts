import Database from 'better-sqlite3';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackup } from '../../src/data/create-backup.js';
import { backupsRoot, findBackup } from '../../src/data/layout.js';
import { restoreBackup } from '../../src/data/restore-backup.js';
import { verifyBackup } from '../../src/data/verify-backup.js';
import { buildInMemoryEvidenceLog } from '../support/data-evidence.js';
import { makeDataProject } from '../support/data-fixture.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function project(opts: { withDb?: boolean } = {}) {
  const p = await makeDataProject(opts);
  cleanup.push(() => p.dispose());
  return p;
}

describe('an empty backup does not pass', () => {
  it('a storage folder whose every file is excluded fails creation, naming the folder and the globs; nothing left behind', async () => {
    const p = await project({ withDb: false });
    const evidence = buildInMemoryEvidenceLog();
    const e = await createBackup({ ctx: p.ctx({ storage: ['storage/media'], exclude: ['**/*.txt', '**/*.bin'] }), environment: 'production', evidence }).catch((x: unknown) => x as Error & { code: string });
    expect(e).toMatchObject({ code: 'SG_DATA_STORAGE_EMPTY' });
    expect(e.message).toContain('storage folder storage/media contributed no files to the backup (all 2 entries excluded by data.exclude: **/*.txt, **/*.bin)');
    expect(evidence.entries).toEqual([]);
    expect(await readdir(join(p.dir, '.shipgate/backups/production'))).toEqual([]);
  });

  it('a SQLite database with zero tables fails verification as "nothing to verify" unless allowed', async () => {
    const p = await project({ withDb: false });
    const db = new Database(join(p.dir, 'backend', 'empty.db'));
    db.pragma('user_version = 1'); // a valid, empty database file
    db.close();
    const ctx = p.ctx({ database: { kind: 'sqlite', path: 'backend/empty.db' }, storage: [] });
    const evidence = buildInMemoryEvidenceLog();
    const created = await createBackup({ ctx, environment: 'production', evidence });
    const ref = await findBackup(backupsRoot(p.dir, '.shipgate/backups'), 'production', created.id);
    const r = await verifyBackup({ ctx, backup: ref, evidence });
    expect(r.passed).toBe(false);
    expect(r.checks.find((c) => c.name === 'database-has-tables')).toMatchObject({ passed: false, measured: expect.stringContaining('0 tables: nothing to verify') });
    expect(evidence.entries.at(-1)!.kind).toBe('backup-verification-failed');
    const allowed = await verifyBackup({ ctx, backup: ref, evidence, allowEmptyDatabase: true });
    expect(allowed.passed).toBe(true);
  });

  it('no database and no storage: nothing to back up', async () => {
    const p = await project({ withDb: false });
    await expect(createBackup({ ctx: p.ctx({ storage: [] }), environment: 'production', evidence: buildInMemoryEvidenceLog() })).rejects.toMatchObject({ code: 'SG_DATA_NOTHING_TO_BACK_UP' });
  });
});

describe('restore into an emptied storage folder', () => {
  it('works: the safety backup accepts the empty folder (that is the disaster being recovered from)', async () => {
    const p = await project({ withDb: false });
    const evidence = buildInMemoryEvidenceLog();
    const ctx = p.ctx({ storage: ['storage/media'], exclude: [] });
    const created = await createBackup({ ctx, environment: 'production', evidence });
    const ref = await findBackup(backupsRoot(p.dir, '.shipgate/backups'), 'production', created.id);
    expect((await verifyBackup({ ctx, backup: ref, evidence })).passed).toBe(true);
    await rm(join(p.dir, 'storage/media'), { recursive: true });
    await mkdir(join(p.dir, 'storage/media'));
    const r = await restoreBackup({ ctx, environment: 'production', backupId: created.id, evidence });
    expect(r.safetyBackup.files).toBe(0);
    expect(await readFile(join(p.dir, 'storage/media/a.txt'), 'utf8')).toBe('alpha');
  });
});
