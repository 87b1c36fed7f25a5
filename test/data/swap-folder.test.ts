import { execFileSync } from 'node:child_process';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DataContext } from '../../src/data/data-context.js';
import { stampOf } from '../../src/data/data-context.js';
import { prepareFolder } from '../../src/data/swap-folder.js';
import { hashTree } from '../support/data-tree-hash.js';
import { useTempTrees } from '../support/temp-dir.js';

// Faults in the swap of a storage folder: whatever fails, the live folder and the items the
// backup does not cover (excluded, so in no backup at all) end up where they were.
const NOW = new Date('2026-11-21T08:00:00.000Z');
const tree = useTempTrees(afterEach);
const immutable: string[] = [];
afterEach(() => {
  for (const p of immutable.splice(0)) execFileSync('chattr', ['-i', p]);
});

/** chattr +i makes a directory impossible to rename, even for root: a rename fault without mocks. */
const chattrWorks = (() => {
  try {
    const d = tree({ 'probe/x': '' });
    execFileSync('chattr', ['+i', join(d, 'probe')], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', join(d, 'probe')], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function project() {
  const base = tree({
    'storage/media/a.txt': 'live a',
    'storage/media/b.txt': 'live b',
    'storage/backups/keep.bak': 'excluded: in no backup',
    'backup/media/a.txt': 'backed-up a',
  });
  const ctx = { baseDir: base, clock: () => NOW, signal: new AbortController().signal } as unknown as DataContext;
  return {
    base,
    live: join(base, 'storage'),
    run: async (verifyNew: (fresh: string) => Promise<void> = async () => {}) =>
      (
        await prepareFolder({
        liveRoot: join(base, 'storage'),
        sourceRoot: join(base, 'backup'),
        entries: [{ path: 'media/a.txt', type: 'file', size: 11, sha256: '' } as never],
        isExcluded: (rel) => rel === 'storage/backups' || rel.startsWith('storage/backups/'),
        ctx,
        verifyNew,
      })
      ).swap(),
  };
}

describe('restoring a storage folder, when a rename fails', () => {
  it('the live folder cannot be moved aside: the excluded items go back into it, the new tree is removed', async () => {
    const p = project();
    const before = await hashTree(p.live);
    // Occupy the name the live folder would be moved to (ENOTEMPTY/EEXIST on the first rename).
    await mkdir(`${p.live}.shipgate-old-${stampOf(NOW)}/x`, { recursive: true });
    await expect(p.run()).rejects.toThrow(/ENOTEMPTY|EEXIST/);
    expect(await hashTree(p.live)).toBe(before);
    expect((await readdir(p.base)).filter((n) => n.includes('shipgate-restore'))).toEqual([]);
  });

  it.skipIf(!chattrWorks)('the new tree cannot take its place: the live folder is renamed back', async () => {
    const p = project();
    // No excluded item here: moving one into an immutable tree would fail earlier.
    await rm(join(p.live, 'backups'), { recursive: true });
    const before = await hashTree(p.live);
    const err = await p
      .run(async (fresh) => {
        execFileSync('chattr', ['+i', fresh]);
        immutable.push(fresh);
      })
      .catch((e: unknown) => e);
    expect((err as NodeJS.ErrnoException).code).toBe('EPERM');
    expect(await hashTree(p.live)).toBe(before);
    expect((await readdir(p.base)).filter((n) => n.includes('shipgate-old'))).toEqual([]);
  });
});
