import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findAction } from '../../src/actions/registry.js';
import { runCli } from '../support/data-cli.js';
import { makeDataProject } from '../support/data-fixture.js';
import { hashTree } from '../support/data-tree-hash.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const RUNBOOK = `version: 1
name: Selenite production release
environments:
  production: {}
data:
  database: { kind: sqlite, path: backend/app.db }
  storage: [storage]
  exclude: [storage/backups]
  protect: [backend/models, logs]
migrations:
  tool: alembic
  dir: backend/alembic/versions
  apply: sqlite3 "$SHIPGATE_REHEARSAL_DATABASE_PATH" "alter table jobs add column status text"
phases:
  - id: gates
    steps:
      - { id: backup, uses: backup }
      - { id: verify-backup, uses: backup/verify, with: { backup: "\${{ steps.backup.outputs.id }}" } }
      - { id: rehearsal, uses: rehearse, with: { smoke: [smoke-jobs] } }
  - id: release
    rollback-on-failure: true
    steps:
      - id: migrate-live
        run: sqlite3 backend/app.db "delete from jobs where id > 10" && echo "changed" > storage/media/a.txt
      - id: health
        run: 'echo "status: degraded" && exit 1'
      - { id: smoke-jobs, run: 'test "$(sqlite3 "$SHIPGATE_REHEARSAL_DATABASE_PATH" "select count(*) from jobs")" = 100', needs: [] , if: "false" }
rollback:
  steps:
    - { id: restore-check, uses: restore, with: { backup: "\${{ steps.backup.outputs.id || 'latest-verified' }}", check-only: true } }
    - { id: stop-app, run: echo stopped > app-stopped.marker }
    - { id: restore, uses: restore, with: { backup: "\${{ steps.restore-check.outputs.id }}" } }
`;

describe('data actions in a run (engine + store + ledger)', () => {
  it('a rollback with no verified backup stops at restore check-only: the app is never stopped, nothing is restored', async () => {
    const p = await makeDataProject();
    cleanup.push(() => p.dispose());
    await writeFile(join(p.dir, 'shipgate.yml'), RUNBOOK);
    const live = async () => [await hashTree(join(p.dir, 'storage')), await hashTree(join(p.dir, 'backend'))];
    const before = await live();
    // No release ran, so steps.backup.outputs.id is empty and the fallback latest-verified finds none.
    const r = await runCli(['rollback', '--env', 'production', '--reason', 'P1 drill', '--yes'], p.dir);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/✗ restore-check failed .*no verified backup of production to restore/);
    expect(r.stdout).not.toMatch(/stop-app (passed|failed)/);
    expect(existsSync(join(p.dir, 'app-stopped.marker'))).toBe(false);
    expect(await live()).toEqual(before); // database and storage byte-identical
  });

  it('registers backup, backup/verify, restore and rehearse', () => {
    for (const n of ['backup', 'backup/verify', 'restore', 'rehearse']) expect(findAction(n)?.name).toBe(n);
  });

  it('backup → verify → rehearse, then a failing release rolls back with restore: data back, protected untouched', async () => {
    const p = await makeDataProject();
    cleanup.push(() => p.dispose());
    await writeFile(join(p.dir, 'shipgate.yml'), RUNBOOK);
    const protectedBefore = [await hashTree(join(p.dir, 'backend/models')), await hashTree(join(p.dir, 'logs'))];
    const r = await runCli(['run', '--env', 'production', '--no-prompt'], p.dir);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/✓ verify-backup passed .* verified: 9 checks passed/);
    expect(r.stdout).toMatch(/✓ rehearsal passed .* rehearsal on backup \S+ passed: migration \d+ ms, schema changed/);
    const checked = /✓ restore-check passed .* backup (\S+) can be restored: verified, its paths are safe/.exec(r.stdout)?.[1];
    expect(checked, r.stdout).toBeDefined();
    // The restore restores the backup the check resolved.
    expect(r.stdout).toMatch(new RegExp(`✓ restore passed .* restored backup ${checked} \\(database: sqlite\\) \\(storage: storage\\); safety backup \\S+`));
    expect(r.stdout).toMatch(/rolled-back in/);
    const db = new Database(p.dbPath, { readonly: true });
    expect(db.prepare('select count(*) from jobs').pluck().get()).toBe(100);
    db.close();
    expect(await readFile(join(p.dir, 'storage/media/a.txt'), 'utf8')).toBe('alpha');
    expect([await hashTree(join(p.dir, 'backend/models')), await hashTree(join(p.dir, 'logs'))]).toEqual(protectedBefore);
    const ev = await runCli(['evidence', 'verify'], p.dir);
    expect(ev.code, ev.stdout + ev.stderr).toBe(0);
  });
});
