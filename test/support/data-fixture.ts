import Database from 'better-sqlite3';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataContext } from '../../src/data/data-context.js';
import { DataSchema, type DataConfig } from '../../src/runbook/schema.js';

/** A temp project shaped like Selenite: a SQLite db, storage, and protected folders. Removed by `dispose`. */
export interface DataProject {
  readonly dir: string;
  readonly dbPath: string;
  ctx(overrides?: Partial<DataConfig>, extra?: Partial<DataContext>): DataContext;
  dispose(): Promise<void>;
}

export async function makeDataProject(opts: { rows?: number; withDb?: boolean } = {}): Promise<DataProject> {
  const dir = await mkdtemp(join(tmpdir(), 'sg-data-'));
  const dbPath = join(dir, 'backend', 'app.db');
  await mkdir(join(dir, 'backend', 'models'), { recursive: true });
  await mkdir(join(dir, 'logs'), { recursive: true });
  await mkdir(join(dir, 'storage', 'media', 'deep'), { recursive: true });
  await mkdir(join(dir, 'storage', 'backups'), { recursive: true });
  await writeFile(join(dir, 'backend', 'models', 'model.bin'), 'weights-v1');
  await writeFile(join(dir, 'logs', 'app.log'), 'line 1\n');
  await writeFile(join(dir, 'storage', 'media', 'a.txt'), 'alpha');
  await writeFile(join(dir, 'storage', 'media', 'deep', 'b.bin'), Buffer.alloc(70_000, 7));
  await writeFile(join(dir, 'storage', 'backups', 'old.zip'), 'excluded');
  await symlink('media/a.txt', join(dir, 'storage', 'link-to-a'));
  if (opts.withDb !== false) {
    const db = new Database(dbPath);
    db.pragma('journal_mode = WAL');
    db.exec('create table jobs (id integer primary key, name text); create table tags (id integer primary key, tag text)');
    const ins = db.prepare('insert into jobs (name) values (?)');
    db.transaction(() => {
      for (let i = 0; i < (opts.rows ?? 100); i++) ins.run(`job-${i}`);
    })();
    db.prepare("insert into tags (tag) values ('x')").run();
    db.close();
  }
  const base = DataSchema.parse({
    database: opts.withDb === false ? undefined : { kind: 'sqlite', path: 'backend/app.db' },
    storage: ['storage'],
    exclude: ['storage/backups'],
    protect: ['backend/models', 'logs'],
    backups: '.shipgate/backups',
    scratch: 'scratch',
  });
  return {
    dir,
    dbPath,
    ctx: (overrides = {}, extra = {}) => ({
      baseDir: dir,
      config: { ...base, ...overrides },
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      signal: new AbortController().signal,
      clock: () => new Date(),
      log: () => {},
      ...extra,
    }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
