import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackup } from '../../src/data/create-backup.js';
import { backupsRoot, findBackup } from '../../src/data/layout.js';
import { restoreBackup } from '../../src/data/restore-backup.js';
import { verifyBackup } from '../../src/data/verify-backup.js';
import { buildInMemoryEvidenceLog } from '../support/data-evidence.js';
import { makeDataProject, type DataProject } from '../support/data-fixture.js';
import { hashTree } from '../support/data-tree-hash.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

/** A project with a second folder `app/` that is NOT in data.storage; a verified backup of it. */
async function setup() {
  const p = await makeDataProject();
  cleanup.push(() => p.dispose());
  await mkdir(join(p.dir, 'app'), { recursive: true });
  await writeFile(join(p.dir, 'app', 'main.py'), 'print("live code")');
  const evidence = buildInMemoryEvidenceLog();
  const created = await createBackup({ ctx: p.ctx(), environment: 'production', evidence });
  const ref = await findBackup(backupsRoot(p.dir, '.shipgate/backups'), 'production', created.id);
  expect((await verifyBackup({ ctx: p.ctx(), backup: ref, evidence })).passed).toBe(true);
  return { p, evidence, ref };
}

async function editMetadata(dir: string, edit: (m: Record<string, unknown>) => void): Promise<void> {
  const file = join(dir, 'metadata.json');
  const m = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  edit(m);
  await writeFile(file, JSON.stringify(m, null, 2));
}

const state = async (p: DataProject) => ({ app: await hashTree(join(p.dir, 'app')), storage: await hashTree(join(p.dir, 'storage')), db: (await readFile(p.dbPath)).toString('base64') });

describe('restore trusts only the metadata recorded at creation', () => {
  it('the reviewer\'s repro: metadata.json edited to storage [storage, app] and database null → refused, nothing touched', async () => {
    const { p, evidence, ref } = await setup();
    expect(evidence.entries.find((e) => e.kind === 'backup-created')!.data).toMatchObject({ metadataDigest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await editMetadata(ref.dir, (m) => {
      m.storage = ['storage', 'app'];
      m.database = null;
    });
    const before = await state(p);
    await expect(restoreBackup({ ctx: p.ctx(), environment: 'production', backupId: ref.id, evidence })).rejects.toMatchObject({
      code: 'SG_DATA_METADATA_CHANGED',
      message: expect.stringContaining(`${join(ref.dir, 'metadata.json')} of backup ${ref.id} is not the one recorded`),
    });
    expect(await state(p)).toEqual(before);
    expect(evidence.entries.filter((e) => e.kind === 'backup-created')).toHaveLength(1); // no safety backup either
    // …and verification now fails on the same file.
    const r = await verifyBackup({ ctx: p.ctx(), backup: ref, evidence });
    expect(r.passed).toBe(false);
    expect(r.checks.find((c) => c.name === 'metadata-digest')).toMatchObject({ passed: false, measured: expect.stringContaining('metadata.json changed since the backup was created') });
  });

  it('a folder of the backup that is no longer in data.storage is not restored (refused, named)', async () => {
    const { p, evidence, ref } = await setup();
    const before = await state(p);
    await expect(restoreBackup({ ctx: p.ctx({ storage: ['app'] }), environment: 'production', backupId: ref.id, evidence })).rejects.toMatchObject({
      code: 'SG_DATA_STORAGE_NOT_CONFIGURED',
      message: expect.stringContaining('storage folder(s) storage that are not in data.storage (app)'),
    });
    expect(await state(p)).toEqual(before);
  });

  it('a backup without a database is refused when the runbook configures one', async () => {
    const p = await makeDataProject();
    cleanup.push(() => p.dispose());
    const evidence = buildInMemoryEvidenceLog();
    const created = await createBackup({ ctx: p.ctx({ database: undefined }), environment: 'production', evidence });
    const ref = await findBackup(backupsRoot(p.dir, '.shipgate/backups'), 'production', created.id);
    expect((await verifyBackup({ ctx: p.ctx({ database: undefined }), backup: ref, evidence })).passed).toBe(true);
    await expect(restoreBackup({ ctx: p.ctx(), environment: 'production', backupId: ref.id, evidence })).rejects.toMatchObject({ code: 'SG_DATA_BACKUP_WITHOUT_DATABASE' });
  });
});
