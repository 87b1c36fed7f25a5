import { describe, expect, it } from 'vitest';
import { DataSchema } from '../runbook/schema.js';
import { checkRestorePaths } from './safe-paths.js';
import type { BackupManifest, ManifestEntry } from './types.js';

const config = DataSchema.parse({ storage: ['storage'], protect: ['backend/models', 'logs'] });
const base = '/srv/app';
const file = (path: string): ManifestEntry => ({ path, type: 'file', size: 1, sha256: 'a'.repeat(64) as never });
const link = (path: string, target: string): ManifestEntry => ({ path, type: 'symlink', size: 0, target });
const check = (...entries: ManifestEntry[]) => checkRestorePaths({ version: 1, entries } as BackupManifest, config, ['storage'], base).map((v) => `${v.path}: ${v.reason}`);

describe('checkRestorePaths', () => {
  it('accepts ordinary files and links inside the storage folder', () => {
    expect(check(file('db/database.sqlite'), file('files/storage/a/b.txt'), link('files/storage/l', 'a/b.txt'), link('files/storage/a/up', '../x'))).toEqual([]);
  });
  it('rejects .., absolute, empty and foreign-prefix paths', () => {
    expect(check(file('files/storage/../backend/models/m.bin'), file('/etc/passwd'), file('files//x'), file('other/x'), file('files/storage/./x'))).toEqual([
      'files/storage/../backend/models/m.bin: unsafe-path',
      '/etc/passwd: unsafe-path',
      'files//x: unsafe-path',
      'other/x: unsafe-path',
      'files/storage/./x: unsafe-path',
    ]);
  });
  it('rejects files outside the storage folders or inside protected paths', () => {
    expect(check(file('files/backend/app.py'), file('files/logs/app.log'))).toEqual(['files/backend/app.py: outside-storage', 'files/logs/app.log: protected']);
  });
  it('rejects symlinks that are absolute, escape the storage folder, or point into a protected path', () => {
    expect(check(link('files/storage/a', '/etc'), link('files/storage/b', '../../../etc/passwd'), link('files/storage/c', '../backend/models'), link('files/storage/d/e', '../../logs/app.log'))).toEqual([
      'files/storage/a: symlink-absolute',
      'files/storage/b: symlink-escapes',
      'files/storage/c: symlink-into-protected',
      'files/storage/d/e: symlink-into-protected',
    ]);
  });
  it('rejects storage folders overlapping protected paths, and a database inside one', () => {
    const c = DataSchema.parse({ storage: ['storage'], protect: ['storage/keep', 'db'], database: { kind: 'sqlite', path: 'db/app.db' } });
    expect(checkRestorePaths({ version: 1, entries: [] }, c, ['storage'], base).map((v) => v.reason)).toEqual(['protect-overlaps-storage', 'protected']);
  });
});
