import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lintMigrations, loadMigrationSources } from '../../src/analysis/index.js';
import { findingKeys, getAnalyzer } from './fixture-helpers.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'sg-analysis-'));
  dirs.push(d);
  return d;
}

async function lintOne(name: string, bytes: Uint8Array | string, tool: 'sql' | 'alembic' = 'sql', maxBytes?: number) {
  const dir = tempDir();
  writeFileSync(path.join(dir, name), bytes);
  const sources = await loadMigrationSources({ cwd: dir, paths: [name], tool, dialect: 'postgres', ...(maxBytes ? { maxBytes } : {}) });
  return lintMigrations(await getAnalyzer(), sources).migrations[0]!;
}

describe('bad input never crashes: a located diagnostic and class unknown', () => {
  it('non-UTF-8 text → not-utf8 at the first bad byte', async () => {
    const m = await lintOne('latin1.sql', Buffer.concat([Buffer.from('ALTER TABLE t ADD COLUMN a int;\n-- caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    expect(findingKeys(m)).toEqual(['not-utf8@2:7']);
    expect(m.class).toBe('unknown');
  });

  it('binary file → binary-file', async () => {
    const m = await lintOne('blob.sql', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]));
    expect(findingKeys(m)).toEqual(['binary-file@3:1']);
    expect(m.class).toBe('unknown');
  });

  it('a 100 MB file is not read: file-too-large from its size alone', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'huge.sql');
    writeFileSync(file, '');
    truncateSync(file, 100 * 1024 * 1024); // sparse: no 100 MB written or read
    const before = process.memoryUsage().rss;
    const sources = await loadMigrationSources({ cwd: dir, paths: ['huge.sql'], tool: 'sql' });
    expect(sources[0]!.content).toBeNull();
    const m = lintMigrations(await getAnalyzer(), sources).migrations[0]!;
    expect(findingKeys(m)).toEqual(['file-too-large@1:1']);
    expect(m.findings[0]!.reason).toContain('104857600 bytes');
    expect(m.class).toBe('unknown');
    expect(process.memoryUsage().rss - before).toBeLessThan(50 * 1024 * 1024);
  });

  it('maxBytes is configurable', async () => {
    const m = await lintOne('small.sql', 'DROP TABLE t;\n', 'sql', 5);
    expect(findingKeys(m)).toEqual(['file-too-large@1:1']);
  });

  it('empty file and whitespace-only file → empty-migration', async () => {
    expect(findingKeys(await lintOne('empty.sql', ''))).toEqual(['empty-migration@1:1']);
    expect(findingKeys(await lintOne('blank.sql', '\n\n   \n'))).toEqual(['empty-migration@1:1']);
  });

  it('Python that is not an Alembic revision → not-alembic-revision', async () => {
    const m = await lintOne('util.py', 'def helper():\n    return 1\n', 'alembic');
    expect(findingKeys(m)).toEqual(['not-alembic-revision@1:1']);
    expect(m.class).toBe('unknown');
  });

  it('an empty .py file → empty-migration', async () => {
    expect(findingKeys(await lintOne('x.py', '', 'alembic'))).toEqual(['empty-migration@1:1']);
  });

  it('unterminated string / dollar quote → parse-error, no crash', async () => {
    const m = await lintOne('bad.sql', "ALTER TABLE t ADD COLUMN a text DEFAULT 'oops;\nDO $$ BEGIN\n");
    expect(m.findings.map((f) => f.rule)).toEqual(['parse-error']);
    expect(m.class).toBe('unknown');
  });

  it('garbage of every byte value never throws (property)', async () => {
    const fc = await import('fast-check');
    const a = await getAnalyzer();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom('sql', 'alembic' as const), fc.constantFrom('postgres', 'sqlite', 'mysql' as const), (bytes, tool, dialect) => {
        const m = a.analyzeMigration({ id: 'x', file: 'x', tool, dialect, content: bytes });
        expect(['none', 'additive', 'breaking', 'unknown']).toContain(m.class);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.constantFrom('postgres', 'sqlite', 'mysql' as const), (text, dialect) => {
        const m = a.analyzeMigration({ id: 'x', file: 'x', tool: 'sql', dialect, content: `ALTER TABLE t ${text};\nDROP TABLE z;` });
        for (const f of m.findings) expect(f.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });
});
