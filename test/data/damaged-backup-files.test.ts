import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/data-cli.js';
import { makeDataProject } from '../support/data-fixture.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const RUNBOOK = `version: 1
name: damaged
environments: { production: {} }
data:
  database: { kind: sqlite, path: backend/app.db }
  storage: [storage]
  exclude: [storage/backups]
  protect: [backend/models, logs]
phases: [{ id: p, steps: [{ id: b, uses: backup }] }]
`;

async function backedUp(): Promise<{ dir: string; id: string; backupDir: string }> {
  const p = await makeDataProject();
  cleanup.push(() => p.dispose());
  await writeFile(join(p.dir, 'shipgate.yml'), RUNBOOK);
  const { id } = JSON.parse((await runCli(['backup', 'create', '--json'], p.dir)).stdout) as { id: string };
  return { dir: p.dir, id, backupDir: join(p.dir, '.shipgate/backups/production', id) };
}

describe('damaged manifest.json / metadata.json: a clear failure, not a stack trace', () => {
  it('manifest.json without entries: verify exits 1 naming the file and the next command', async () => {
    const b = await backedUp();
    await writeFile(join(b.backupDir, 'manifest.json'), '{"version":1}');
    const r = await runCli(['backup', 'verify', b.id], b.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error SG_DATA_BAD_BACKUP_FILE: ${join(b.backupDir, 'manifest.json')} is not a valid backup manifest: entries:`);
    expect(r.stderr).toContain('shipgate backup create');
    expect(r.stderr).not.toMatch(/TypeError|at .*\.ts:\d+/);
    // list still works and shows it as damaged; restore refuses with the same clear error.
    const list = await runCli(['backup', 'list'], b.dir);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`${b.id}  `);
    expect(list.stdout).toContain('not verified (last verification: manifest.json damaged)');
    const restore = await runCli(['backup', 'restore', b.id, '--yes'], b.dir);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain('error SG_DATA_BAD_BACKUP_FILE');
  });

  it('truncated manifest.json (not JSON) and metadata.json with a wrong shape each name their file', async () => {
    const b = await backedUp();
    const manifest = join(b.backupDir, 'manifest.json');
    const good = await readFile(manifest, 'utf8');
    await writeFile(manifest, good.slice(0, 40));
    const r = await runCli(['backup', 'verify', b.id], b.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error SG_DATA_BAD_BACKUP_FILE: ${manifest} is not valid JSON`);
    await writeFile(manifest, good);
    const meta = join(b.backupDir, 'metadata.json');
    const m = JSON.parse(await readFile(meta, 'utf8')) as Record<string, unknown>;
    await writeFile(meta, JSON.stringify({ ...m, storage: 'storage' }));
    const r2 = await runCli(['backup', 'verify', b.id], b.dir);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain(`error SG_DATA_BAD_BACKUP_FILE: ${meta} is not a valid backup metadata: storage:`);
  });
});
