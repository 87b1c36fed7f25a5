import { readFile, symlink, writeFile } from 'node:fs/promises';
import { HOLD_EXCLUSIVE_LOCK, startSqliteProcess } from '../support/data-processes.js';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/data-cli.js';
import { makeDataProject, type DataProject } from '../support/data-fixture.js';
import { hashTree } from '../support/data-tree-hash.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const RUNBOOK = `version: 1
name: Selenite production release
environments:
  production:
    vars: { PORT: "8100" }
data:
  database: { kind: sqlite, path: backend/app.db }
  storage: [storage]
  exclude: [storage/backups]
  protect: [backend/models, logs]
  keep: 2
migrations:
  tool: alembic
  dir: backend/alembic/versions
  apply: sqlite3 "$SHIPGATE_REHEARSAL_DATABASE_PATH" "alter table jobs add column status text"
  cwd: .
phases:
  - id: gates
    steps:
      - { id: backup, uses: backup }
      - { id: smoke-jobs, run: 'test "$(sqlite3 "$SHIPGATE_REHEARSAL_DATABASE_PATH" "select count(*) from jobs")" = 100' }
`;

async function project(): Promise<DataProject> {
  const p = await makeDataProject();
  cleanup.push(() => p.dispose());
  await writeFile(join(p.dir, 'shipgate.yml'), RUNBOOK);
  return p;
}

describe('shipgate backup (CLI, in-process)', () => {
  it('create → list → verify → restore, with exit codes and the exact lines a user sees', async () => {
    const p = await project();
    const created = await runCli(['backup', 'create', '--env', 'production', '--json'], p.dir);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const { id } = JSON.parse(created.stdout) as { id: string };

    const listed = await runCli(['backup', 'list', '--env', 'production'], p.dir);
    expect(listed.stdout).toMatch(new RegExp(`^${id}  \\S+  not verified \\(last verification: never\\)\\n$`));

    const verified = await runCli(['backup', 'verify', id, '--env', 'production'], p.dir);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain(`backup ${id} verified\n`);
    expect(verified.stdout).toMatch(/✓ sqlite-integrity-check/);

    const refused = await runCli(['backup', 'restore', id, '--env', 'production'], p.dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('error SG_CONFIRM_REQUIRED');
    expect(refused.stderr).toContain(`→ shipgate backup restore ${id} --yes --env production`);

    await writeFile(join(p.dir, 'storage/media/a.txt'), 'changed');
    const models = await hashTree(join(p.dir, 'backend/models'));
    const restored = await runCli(['backup', 'restore', id, '--env', 'production', '--yes'], p.dir);
    expect(restored.stderr).toContain('taking a safety backup');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(new RegExp(`^restored backup ${id} \\(database: sqlite\\) \\(storage: storage\\)\\n  safety backup of the previous state: \\S+\\n$`));
    expect(await readFile(join(p.dir, 'storage/media/a.txt'), 'utf8')).toBe('alpha');
    expect(await hashTree(join(p.dir, 'backend/models'))).toBe(models);

    const evidence = await runCli(['evidence', '--help'], p.dir);
    expect(evidence.code).toBe(0);
  });

  it('verify of a damaged backup exits 1 naming the file; restore of it then exits 1', async () => {
    const p = await project();
    const { id } = JSON.parse((await runCli(['backup', 'create', '--json'], p.dir)).stdout) as { id: string };
    await writeFile(join(p.dir, '.shipgate/backups/production', id, 'data/files/storage/media/a.txt'), 'alphA');
    const v = await runCli(['backup', 'verify', id], p.dir);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('✗ manifest-checksums');
    expect(v.stdout).toContain('files/storage/media/a.txt: checksum-mismatch');
    expect(v.stdout).toContain(`backup ${id} FAILED verification: manifest-checksums, test-restore`);
    const r = await runCli(['backup', 'restore', id, '--yes'], p.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error SG_DATA_NOT_VERIFIED');
    expect(r.stderr).toContain(`→ shipgate backup verify ${id} --env production`);
  });

  it('a missing database exits 1 with the path; an unknown backup id names where it looked', async () => {
    const p = await project();
    await writeFile(join(p.dir, 'shipgate.yml'), RUNBOOK.replace('backend/app.db', 'backend/nope.db'));
    const c = await runCli(['backup', 'create'], p.dir);
    expect(c.code).toBe(1);
    expect(c.stderr).toContain(`error SG_DATA_DB_MISSING: SQLite database ${join(p.dir, 'backend/nope.db')} does not exist`);
    const v = await runCli(['backup', 'verify', 'nope'], p.dir);
    expect(v.code).toBe(1);
    expect(v.stderr).toContain('error SG_DATA_BACKUP_NOT_FOUND: backup nope not found');
    expect(v.stderr).toContain('→ shipgate backup list --env production');
  });

  it('restore on a terminal asks; anything but "yes" cancels with exit 1 and touches nothing; "yes" restores', async () => {
    const p = await project();
    const { id } = JSON.parse((await runCli(['backup', 'create', '--json'], p.dir)).stdout) as { id: string };
    expect((await runCli(['backup', 'verify', id], p.dir)).code).toBe(0);
    await writeFile(join(p.dir, 'storage/media/a.txt'), 'changed');
    const no = await runCli(['backup', 'restore', id], p.dir, {}, { input: 'no\n' });
    expect(no.code).toBe(1);
    expect(no.stderr).toContain(`Restore backup ${id} over the live database and storage (a safety backup is taken first)? Type "yes": `);
    expect(no.stderr).toContain('restore cancelled; nothing was touched');
    // The input ends at the prompt (Ctrl-D): cancelled too, not a hang or a bug report.
    const eof = await runCli(['backup', 'restore', id], p.dir, {}, { input: '' });
    expect(eof.code).toBe(1);
    expect(eof.stderr).toContain('restore cancelled; nothing was touched');
    expect(await readFile(join(p.dir, 'storage/media/a.txt'), 'utf8')).toBe('changed');
    const yes = await runCli(['backup', 'restore', id], p.dir, {}, { input: 'yes\n' });
    expect(yes.code).toBe(0);
    expect(await readFile(join(p.dir, 'storage/media/a.txt'), 'utf8')).toBe('alpha');
  });

  it('a locked database and a planted symlink into a protected path each exit 1 with the cause named', async () => {
    const p = await project();
    await symlink('../backend/models', join(p.dir, 'storage/models-link'));
    const { id } = JSON.parse((await runCli(['backup', 'create', '--json'], p.dir)).stdout) as { id: string };
    expect((await runCli(['backup', 'verify', id], p.dir)).code).toBe(0);
    const unsafe = await runCli(['backup', 'restore', id, '--yes'], p.dir);
    expect(unsafe.code).toBe(1);
    expect(unsafe.stderr).toContain('error SG_DATA_UNSAFE_BACKUP');
    expect(unsafe.stderr).toContain('files/storage/models-link: symlink ../backend/models points into protected path backend/models');
    const holder = await startSqliteProcess(p.dbPath, HOLD_EXCLUSIVE_LOCK);
    cleanup.push(holder.stop);
    const locked = await runCli(['backup', 'create'], p.dir);
    expect(locked.code).toBe(1);
    expect(locked.stderr).toContain(`error SG_DATA_DB_LOCKED: SQLite database ${p.dbPath} is locked by another process`);
    expect(locked.stderr).toContain('→ stop the app (or whatever holds the lock) and run the command again');
  });

  it('prune keeps N newest and never the newest verified one', async () => {
    const p = await project();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((JSON.parse((await runCli(['backup', 'create', '--json'], p.dir)).stdout) as { id: string }).id);
    expect((await runCli(['backup', 'verify', ids[0]!], p.dir)).code).toBe(0);
    const pr = await runCli(['backup', 'prune', '--json'], p.dir);
    expect(pr.code).toBe(0);
    const r = JSON.parse(pr.stdout) as { kept: string[]; deleted: string[]; newestVerified: string };
    expect(r.newestVerified).toBe(ids[0]);
    expect(r.kept).toEqual([ids[3], ids[2], ids[0]]);
    expect(r.deleted).toEqual([ids[1]]);
    const list = JSON.parse((await runCli(['backup', 'list', '--json'], p.dir)).stdout) as Array<{ id: string; verified: boolean }>;
    expect(list.map((b) => b.id)).toEqual([ids[3], ids[2], ids[0]]);
  });

  it('rehearse: newest verified backup → scratch → migration → smoke, schema recorded before and after', async () => {
    const p = await project();
    const { id } = JSON.parse((await runCli(['backup', 'create', '--json'], p.dir)).stdout) as { id: string };
    const none = await runCli(['rehearse'], p.dir);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('error SG_DATA_NO_VERIFIED_BACKUP');
    expect((await runCli(['backup', 'verify', id], p.dir)).code).toBe(0);
    const r = await runCli(['rehearse', '--smoke', 'smoke-jobs', '--json'], p.dir);
    const report = JSON.parse(r.stdout);
    expect(report.checks.map((c: { name: string; passed: boolean }) => [c.name, c.passed])).toEqual([['manifest-checksums', true], ['migration', true], ['smoke:smoke-jobs', true], ['live-database-untouched', true], ['scratch-schema-changed', true]]);
    expect(r.code).toBe(0);
    expect(report.backupId).toBe(id);
    expect(report.schemaBefore.digest).not.toBe(report.schemaAfter.digest);
    expect(report.schemaAfter.tables).toEqual(['jobs', 'tags']);
    expect(typeof report.migrationMs).toBe('number');
    // The live database was not migrated.
    const live = (await import('better-sqlite3')).default;
    const db = new live(p.dbPath, { readonly: true });
    expect(db.prepare("select count(*) from pragma_table_info('jobs') where name = 'status'").pluck().get()).toBe(0);
    db.close();
  });

  it('rehearse fails (exit 1) when a smoke step fails against the restored copy', async () => {
    const p = await project();
    await writeFile(join(p.dir, 'shipgate.yml'), RUNBOOK.replace('= 100', '= 101'));
    const { id } = JSON.parse((await runCli(['backup', 'create', '--json'], p.dir)).stdout) as { id: string };
    expect((await runCli(['backup', 'verify', id], p.dir)).code).toBe(0);
    const r = await runCli(['rehearse', '--smoke', 'smoke-jobs'], p.dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ smoke:smoke-jobs +exit code 1/);
    expect(r.stdout).toContain(`rehearsal on backup ${id} FAILED: smoke:smoke-jobs`);
  });
});
