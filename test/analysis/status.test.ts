import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveMigrations } from '../../src/actions/migrations/config.js';
import { readStatus } from '../../src/actions/migrations/service.js';
import { MYSQL_ADMIN_URL, mysqlAvailable, PG_ADMIN_URL, postgresAvailable } from '../support/analysis-services.js';
import { loadedRunbook, tempProject, writePrismaMigrations } from './runbook-helpers.js';

const hasPg = await postgresAvailable();
const hasMysql = await mysqlAvailable();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
const dbName = () => `sg_mig_${process.pid}_${randomBytes(4).toString('hex')}`;

const PRISMA_TABLE_PG = `CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, finished_at timestamptz, migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count integer NOT NULL DEFAULT 0)`;

describe('migrations/status on SQLite', () => {
  it('prisma: applied, pending, failed, rolled back, unknown-in-db', async () => {
    const p = tempProject();
    cleanups.push(p.cleanup);
    writePrismaMigrations(p.write);
    p.write('prisma/migrations/20240401000000_failed_one/migration.sql', 'ALTER TABLE "users" ADD COLUMN "x" int;\n');
    const file = path.join(p.dir, 'app.db');
    const db = new Database(file);
    db.exec(`CREATE TABLE _prisma_migrations (id TEXT PRIMARY KEY, checksum TEXT, finished_at DATETIME, migration_name TEXT, logs TEXT, rolled_back_at DATETIME, started_at DATETIME DEFAULT CURRENT_TIMESTAMP, applied_steps_count INTEGER DEFAULT 0)`);
    const ins = db.prepare('INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, rolled_back_at) VALUES (?, ?, ?, ?, ?)');
    ins.run('1', 'c', '2024-01-01', '20240101000000_init', null);
    ins.run('2', 'c', null, '20240201000000_add_bio', '2024-02-02'); // rolled back → pending again
    ins.run('3', 'c', null, '20240401000000_failed_one', null); // failed
    ins.run('4', 'c', '2023-12-01', '20231201000000_gone', null); // no file
    db.close();
    const cfg = resolveMigrations(loadedRunbook(p.dir, { migrations: { tool: 'prisma', dir: 'prisma/migrations', dialect: 'sqlite' } }));
    const s = await readStatus(cfg, { kind: 'sqlite', path: file });
    expect(s).toEqual({ table: '_prisma_migrations', tablePresent: true, applied: ['20240101000000_init'], pending: ['20240201000000_add_bio', '20240301000000_drop_nickname'], unknownInDb: ['20231201000000_gone'], failed: ['20240401000000_failed_one'] });
  });

  it('alembic: the head and its ancestors are applied', async () => {
    const p = tempProject();
    cleanups.push(p.cleanup);
    const rev = (id: string, down: string | null) => `from alembic import op\nrevision = "${id}"\ndown_revision = ${down ? `"${down}"` : 'None'}\n\ndef upgrade():\n    op.add_column("t", sa.Column("${id}", sa.Text()))\n`;
    p.write('alembic/versions/003_c.py', rev('c3', 'b2'));
    p.write('alembic/versions/001_a.py', rev('a1', null));
    p.write('alembic/versions/002_b.py', rev('b2', 'a1'));
    const file = path.join(p.dir, 'app.db');
    const db = new Database(file);
    db.exec("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY); INSERT INTO alembic_version VALUES ('b2');");
    db.close();
    const cfg = resolveMigrations(loadedRunbook(p.dir, { migrations: { tool: 'alembic', dir: 'alembic/versions', dialect: 'sqlite' } }));
    const s = await readStatus(cfg, { kind: 'sqlite', path: file });
    expect(s).toMatchObject({ applied: ['a1', 'b2'], pending: ['c3'], unknownInDb: [], failed: [] });
  });

  it('no bookkeeping table: everything pending', async () => {
    const p = tempProject();
    cleanups.push(p.cleanup);
    p.write('migrations/001_init.sql', 'CREATE TABLE t (id int);\n');
    const file = path.join(p.dir, 'app.db');
    new Database(file).close();
    const cfg = resolveMigrations(loadedRunbook(p.dir, { migrations: { tool: 'sql', dir: 'migrations', dialect: 'sqlite' } }));
    expect(await readStatus(cfg, { kind: 'sqlite', path: file })).toEqual({ table: 'shipgate_migrations', tablePresent: false, applied: [], pending: ['001_init'], unknownInDb: [], failed: [] });
  });
});

describe.skipIf(!hasPg)('migrations/status on PostgreSQL', () => {
  it('prisma bookkeeping in _prisma_migrations', async () => {
    const name = dbName();
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    cleanups.push(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    });
    const u = new URL(PG_ADMIN_URL);
    u.pathname = `/${name}`;
    const c = new pg.Client({ connectionString: u.toString() });
    await c.connect();
    await c.query(PRISMA_TABLE_PG);
    await c.query(`INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name) VALUES ('1', 'c', now(), '20240101000000_init'), ('2', 'c', now(), '20240201000000_add_bio')`);
    await c.end();
    const p = tempProject();
    cleanups.push(p.cleanup);
    writePrismaMigrations(p.write);
    const cfg = resolveMigrations(loadedRunbook(p.dir, { migrations: { tool: 'prisma', dir: 'prisma/migrations' } }));
    const s = await readStatus(cfg, { kind: 'postgres', url: u.toString() });
    expect(s).toMatchObject({ tablePresent: true, applied: ['20240101000000_init', '20240201000000_add_bio'], pending: ['20240301000000_drop_nickname'], failed: [] });
  });
});

describe.skipIf(!hasMysql)('migrations/status on MariaDB', () => {
  it('sql tool bookkeeping in shipgate_migrations', async () => {
    const name = dbName();
    const admin = await mysql.createConnection({ uri: MYSQL_ADMIN_URL });
    await admin.query(`CREATE DATABASE ${name}`);
    cleanups.push(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.end();
    });
    await admin.query(`CREATE TABLE ${name}.shipgate_migrations (id VARCHAR(255) PRIMARY KEY, applied_at DATETIME DEFAULT CURRENT_TIMESTAMP)`);
    await admin.query(`INSERT INTO ${name}.shipgate_migrations (id) VALUES ('001_init'), ('000_removed')`);
    const p = tempProject();
    cleanups.push(p.cleanup);
    p.write('migrations/001_init.sql', 'CREATE TABLE t (id int);\n');
    p.write('migrations/002_more.sql', 'ALTER TABLE t ADD COLUMN x int;\n');
    const cfg = resolveMigrations(loadedRunbook(p.dir, { migrations: { tool: 'sql', dir: 'migrations', dialect: 'mysql' } }));
    const s = await readStatus(cfg, { kind: 'mysql', url: `${MYSQL_ADMIN_URL}/${name}` });
    expect(s).toEqual({ table: 'shipgate_migrations', tablePresent: true, applied: ['001_init'], pending: ['002_more'], unknownInDb: ['000_removed'], failed: [] });
  });
});
