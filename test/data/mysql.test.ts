import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { execa } from 'execa';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackup } from '../../src/data/create-backup.js';
import { EVIDENCE } from '../../src/data/evidence.js';
import { backupsRoot, findBackup } from '../../src/data/layout.js';
import { buildManifest, digestManifest } from '../../src/data/manifest.js';
import { checkRestorable, restoreBackup } from '../../src/data/restore-backup.js';
import { verifyBackup } from '../../src/data/verify-backup.js';
import { buildInMemoryEvidenceLog } from '../support/data-evidence.js';
import { makeDataProject } from '../support/data-fixture.js';
import { MYSQL_URL, mysqlAvailable } from '../support/data-services.js';

const available = await mysqlAvailable();
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function admin() {
  return mysql.createConnection({ uri: MYSQL_URL, multipleStatements: true });
}

/** Scratch databases of `source` left on the server (other test files may have their own meanwhile). */
async function scratchDatabases(source: string): Promise<string[]> {
  const c = await admin();
  try {
    const [rows] = (await c.query("show databases like 'sg\\_scratch\\_%'")) as unknown as [Array<Record<string, string>>];
    return rows.map((r) => Object.values(r)[0]!).filter((n) => n.endsWith(`_${source}`));
  } finally {
    await c.end();
  }
}

/** A database with two tables (300 and 17 rows), `more` (SQL, or SQL made from its name) run in it too, backed up. */
async function setup(extra: string | ((name: string) => string) = '') {
  const name = `sg_test_${randomBytes(4).toString('hex')}`;
  const more = typeof extra === 'string' ? extra : extra(name);
  const c = await admin();
  await c.query(`create database ${name}; use ${name};
    create table orders (id int auto_increment primary key, total decimal(10,2) not null) engine=InnoDB;
    create table items (id int auto_increment primary key, name varchar(40)) engine=InnoDB;
    insert into orders (total) select seq from seq_1_to_300;
    insert into items (name) select concat('item-', seq) from seq_1_to_17;${more}`);
  await c.end();
  cleanup.push(async () => {
    const a = await admin();
    await a.query(`drop database if exists ${name}`);
    await a.end();
  });
  const p = await makeDataProject({ withDb: false });
  cleanup.push(() => p.dispose());
  const u = new URL(MYSQL_URL);
  u.pathname = `/${name}`;
  const ctx = p.ctx({ database: { kind: 'mysql', url: u.href }, storage: [] }, { databaseUrl: u.href });
  const evidence = buildInMemoryEvidenceLog();
  const created = await createBackup({ ctx, environment: 'production', evidence });
  const ref = await findBackup(backupsRoot(p.dir, '.shipgate/backups'), 'production', created.id);
  const query = async (sql: string) => {
    const k = await mysql.createConnection({ uri: u.href, multipleStatements: true });
    try {
      return ((await k.query(sql)) as unknown as [Array<Record<string, unknown>>])[0];
    } finally {
      await k.end();
    }
  };
  return { name, p, ctx, evidence, created, ref, query };
}

describe.skipIf(!available)('mysql/mariadb (local server, mysqldump --single-transaction)', () => {
  it('backs up with exact counts, verifies in a scratch database, drops it', async () => {
    const s = await setup();
    expect(s.created.metadata.database!.rowCounts).toEqual({ items: 17, orders: 300 });
    expect(s.created.metadata.database!.tool).toMatch(/(mariadb-dump|mysqldump) --single-transaction/);
    const report = await verifyBackup({ ctx: s.ctx, backup: s.ref, evidence: s.evidence });
    expect(report.checks.map((c) => [c.name, c.passed])).toEqual([['manifest-digest', true], ['metadata-digest', true], ['manifest-checksums', true], ['database-restore', true], ['row-counts', true], ['database-has-tables', true]]);
    expect(await scratchDatabases(s.name)).toEqual([]);
  });

  it('counts and dump share one snapshot while another connection keeps inserting', async () => {
    const s = await setup();
    const w = await mysql.createConnection({ uri: new URL(s.ctx.databaseUrl!).href });
    let stop = false;
    let inserted = 0;
    const writer = (async () => {
      while (!stop) {
        await w.query('insert into orders (total) values (1)');
        inserted++;
      }
    })();
    try {
      await new Promise((r) => setTimeout(r, 100));
      const created = await createBackup({ ctx: s.ctx, environment: 'production', evidence: s.evidence });
      await new Promise((r) => setTimeout(r, 100));
      stop = true;
      await writer;
      expect(created.metadata.database!.countMethod).toContain('FLUSH TABLES WITH READ LOCK');
      expect(created.metadata.database!.rowCounts.orders).toBeGreaterThan(300);
      const ref = await findBackup(backupsRoot(s.p.dir, '.shipgate/backups'), 'production', created.id);
      const report = await verifyBackup({ ctx: s.ctx, backup: ref, evidence: s.evidence });
      expect(report.checks.filter((c) => !c.passed)).toEqual([]);
      expect(inserted).toBeGreaterThan(created.metadata.database!.rowCounts.orders! - 300);
    } finally {
      stop = true;
      await writer.catch(() => {});
      await w.end();
    }
  });

  it('?password= in the URL: the client tools get it in MYSQL_PWD, never in argv, and it is in no evidence', async () => {
    const name = `sg_test_${randomBytes(4).toString('hex')}`;
    const user = `sg_pw_${randomBytes(3).toString('hex')}`;
    const a = await admin();
    await a.query(`create database ${name}; create table ${name}.t (id int primary key); insert into ${name}.t values (1), (2);
      create user '${user}'@'%' identified by 'q-s3cret-pw'; create user '${user}'@'localhost' identified by 'q-s3cret-pw';
      grant all on *.* to '${user}'@'%'; grant all on *.* to '${user}'@'localhost';`);
    await a.end();
    cleanup.push(async () => {
      const c = await admin();
      await c.query(`drop database if exists ${name}; drop user if exists '${user}'@'%'; drop user if exists '${user}'@'localhost';`);
      await c.end();
    });
    const p = await makeDataProject({ withDb: false });
    cleanup.push(() => p.dispose());
    // Wrappers in front of the real tools record each argv and whether MYSQL_PWD was set.
    const bin = join(p.dir, 'bin');
    await mkdir(bin);
    const log = join(p.dir, 'argv.log');
    for (const tool of ['mariadb-dump', 'mariadb', 'mysqldump', 'mysql']) {
      const real = (await execa('sh', ['-c', `command -v ${tool} || true`])).stdout.trim();
      if (!real) continue;
      await writeFile(join(bin, tool), `#!/bin/sh\necho "${tool} $* MYSQL_PWD=\${MYSQL_PWD:-unset}" >> ${log}\nexec ${real} "$@"\n`);
      await chmod(join(bin, tool), 0o755);
    }
    const u = new URL(MYSQL_URL);
    const url = `mysql://${user}@${u.host}/${name}?password=q-s3cret-pw`;
    const ctx = p.ctx({ database: { kind: 'mysql', url }, storage: [] }, { databaseUrl: url, env: { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` } });
    const evidence = buildInMemoryEvidenceLog();
    const created = await createBackup({ ctx, environment: 'production', evidence });
    expect(created.metadata.database!.rowCounts).toEqual({ t: 2 });
    const ref = await findBackup(backupsRoot(p.dir, '.shipgate/backups'), 'production', created.id);
    const r = await verifyBackup({ ctx, backup: ref, evidence });
    expect(r.checks.filter((c) => !c.passed)).toEqual([]);
    const lines = (await readFile(log, 'utf8')).trim().split('\n').filter((l) => !l.includes('--version'));
    expect(lines.some((l) => /^(mariadb-dump|mysqldump) /.test(l))).toBe(true);
    expect(lines.some((l) => /^(mariadb|mysql) /.test(l))).toBe(true);
    for (const l of lines) {
      expect(l.replace(/MYSQL_PWD=\S+$/, '')).not.toContain('q-s3cret-pw');
      expect(l).toMatch(/MYSQL_PWD=q-s3cret-pw$/);
    }
    expect(JSON.stringify(evidence.entries)).not.toContain('q-s3cret-pw');
    expect(JSON.stringify(created.metadata)).not.toContain('q-s3cret-pw');
  });

  it('a row count that differs fails row-counts naming the table', async () => {
    const s = await setup();
    const metaPath = join(s.ref.dir, 'metadata.json');
    const meta = JSON.parse(await readFile(metaPath, 'utf8'));
    meta.database.rowCounts.items = 18;
    await writeFile(metaPath, JSON.stringify(meta));
    const report = await verifyBackup({ ctx: s.ctx, backup: s.ref, evidence: s.evidence });
    expect(JSON.stringify(report.checks.find((c) => c.name === 'row-counts')!.details)).toContain('table items: expected 18 rows, restored copy has 17');
    expect(report.passed).toBe(false);
  });

  it('a dump the client rejects fails database-restore; scratch dropped', async () => {
    const s = await setup();
    const dump = join(s.ref.dir, 'data/db/dump.sql');
    await writeFile(dump, `${await readFile(dump, 'utf8')}\nTHIS IS NOT SQL;\n`);
    const m = await buildManifest(join(s.ref.dir, 'data'));
    await writeFile(join(s.ref.dir, 'manifest.json'), JSON.stringify(m));
    await s.evidence.record(EVIDENCE.created, { id: s.created.id, manifestDigest: digestManifest(m) });
    const report = await verifyBackup({ ctx: s.ctx, backup: s.ref, evidence: s.evidence });
    const r = report.checks.find((c) => c.name === 'database-restore')!;
    expect(r.passed).toBe(false);
    expect(r.measured).toMatch(/rejected the dump .*dump\.sql \(exit 1\): .*ERROR 1064/);
    expect(await scratchDatabases(s.name)).toEqual([]);
  });

  it('restore check-only names the client the restore needs when only the dump tool is on PATH', async () => {
    const s = await setup();
    expect((await verifyBackup({ ctx: s.ctx, backup: s.ref, evidence: s.evidence })).passed).toBe(true);
    expect((await checkRestorable({ ctx: s.ctx, environment: 'production', backupId: s.created.id, evidence: s.evidence })).ref.id).toBe(s.created.id);
    const bin = await mkdtemp(join(tmpdir(), 'sg-only-dump-'));
    cleanup.push(() => rm(bin, { recursive: true, force: true }));
    for (const dump of ['mariadb-dump', 'mysqldump']) {
      const found = await execa('sh', ['-c', `command -v ${dump}`], { reject: false });
      if (found.exitCode === 0) await symlink(found.stdout.trim(), join(bin, dump));
    }
    const e = await checkRestorable({ ctx: { ...s.ctx, env: { ...s.ctx.env, PATH: bin } }, environment: 'production', backupId: s.created.id, evidence: s.evidence }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'SG_DATA_TOOL_MISSING' });
    expect((e as Error).message).toMatch(/(mariadb|mysql) was not found on PATH/);
  });

  it('restore check-only refuses, before anything, a database with triggers (the swap cannot move them) and credentials that do not connect', async () => {
    const s = await setup();
    expect((await verifyBackup({ ctx: s.ctx, backup: s.ref, evidence: s.evidence })).passed).toBe(true);
    await s.query('create trigger orders_bi before insert on orders for each row set new.total = new.total');
    const live = await checkRestorable({ ctx: s.ctx, environment: 'production', backupId: s.created.id, evidence: s.evidence }).catch((x: unknown) => x);
    expect(live).toMatchObject({ code: 'SG_DATA_MYSQL_TRIGGERS' });
    expect((live as Error).message).toContain('the live database has 1 trigger(s)');
    // A backup taken with the trigger holds it too, even once the live one is gone.
    const withTrigger = await createBackup({ ctx: s.ctx, environment: 'production', evidence: s.evidence });
    await verifyBackup({ ctx: s.ctx, backup: await findBackup(backupsRoot(s.p.dir, '.shipgate/backups'), 'production', withTrigger.id), evidence: s.evidence });
    await s.query('drop trigger orders_bi');
    const dumped = await checkRestorable({ ctx: s.ctx, environment: 'production', backupId: withTrigger.id, evidence: s.evidence }).catch((x: unknown) => x);
    expect(dumped).toMatchObject({ code: 'SG_DATA_MYSQL_TRIGGERS' });
    expect((dumped as Error).message).toContain('the backup holds triggers');
    // Wrong credentials: found by the check, not after the app was stopped.
    const bad = new URL(String(s.ctx.databaseUrl));
    bad.username = 'sg_nobody';
    const denied = await checkRestorable({ ctx: { ...s.ctx, databaseUrl: bad.href }, environment: 'production', backupId: s.created.id, evidence: s.evidence }).catch((x: unknown) => x);
    expect(denied).toBeInstanceOf(Error);
    expect((denied as Error).message).toMatch(/denied|sg_nobody/i);
    expect(Number((await s.query('select count(*) as n from orders'))[0]!.n)).toBe(300);
  });

  it('a lock held by a session the restoring user cannot see stops the swap after SHIPGATE_MYSQL_LOCK_WAIT_S, leaving the live tables', async () => {
    const s = await setup();
    expect((await verifyBackup({ ctx: s.ctx, backup: s.ref, evidence: s.evidence })).passed).toBe(true);
    await s.query('delete from orders where id > 10');
    // A user with every right on these databases but not PROCESS: the in-use check sees only its own sessions.
    const user = `sg_np_${s.name.slice(-8)}`;
    const a = await admin();
    await a.query(`create user '${user}'@'%'; grant all on \`sg\\_%\`.* to '${user}'@'%'`);
    await a.end();
    cleanup.push(async () => {
      const b = await admin();
      await b.query(`drop user if exists '${user}'@'%'`);
      await b.end();
    });
    const holder = await mysql.createConnection({ uri: String(s.ctx.databaseUrl) });
    await holder.query('begin');
    await holder.query('select count(*) from orders'); // holds a metadata lock on orders until commit
    cleanup.push(async () => void (await holder.end().catch(() => {})));
    const as = new URL(String(s.ctx.databaseUrl));
    as.username = user;
    const ctx = { ...s.ctx, databaseUrl: as.href, env: { ...s.ctx.env, SHIPGATE_MYSQL_LOCK_WAIT_S: '2' } };
    const t0 = Date.now();
    const e = await restoreBackup({ ctx, environment: 'production', backupId: s.created.id, evidence: s.evidence }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'SG_DATA_DB_LOCKED' });
    expect((e as Error).message).toContain('held a lock on its tables for 2 s');
    expect(Date.now() - t0).toBeLessThan(30_000);
    await holder.query('commit');
    expect(Number((await s.query('select count(*) as n from orders'))[0]!.n)).toBe(10); // untouched
    const b = await admin();
    const [left] = (await b.query(`show databases like '${s.name}\\_sg\\_%'`)) as unknown as [unknown[]];
    await b.end();
    expect(left).toEqual([]);
  });

  it('restores a verified backup with an atomic RENAME TABLE swap', async () => {
    const s = await setup();
    expect((await verifyBackup({ ctx: s.ctx, backup: s.ref, evidence: s.evidence })).passed).toBe(true);
    await s.query('delete from orders where id > 10');
    await restoreBackup({ ctx: s.ctx, environment: 'production', backupId: s.created.id, evidence: s.evidence });
    expect(Number((await s.query('select count(*) as n from orders'))[0]!.n)).toBe(300);
    const c = await admin();
    const [rest] = (await c.query(`show databases like '${s.name}\\_sg\\_%'`)) as unknown as [unknown[]];
    await c.end();
    expect(rest).toEqual([]);
  });

  it("restores the backup's views, procedures, functions, events and sequences too, not the live ones", async () => {
    const a = await admin();
    const mariadb = String(((await a.query('select version() as v')) as unknown as [Array<{ v: string }>])[0][0]!.v).includes('MariaDB');
    await a.end();
    const s = await setup(`
    create view big as select id, total from orders where total > 100;
    create view big_count as select count(*) as n from big;
    create procedure total_of(out t decimal(12,2)) select sum(total) into t from orders;
    create function answer() returns int deterministic return 42;
    create event nightly on schedule every 1 day disable do delete from items where id < 0;${mariadb ? '\n    create sequence ticket start with 500 nocache;' : ''}`);
    expect((await verifyBackup({ ctx: s.ctx, backup: s.ref, evidence: s.evidence })).passed).toBe(true);
    // After the backup the live database moves on: a view redefined, one added, a routine
    // replaced, a function changed, the event dropped, the sequence advanced.
    await s.query(`create or replace view big as select id, total from orders where total > 250;
      create view extra as select 1 as one;
      drop procedure total_of; create procedure other() select 1;
      drop function answer; create function answer() returns int deterministic return 7;
      drop event nightly;${mariadb ? ' select nextval(ticket); select nextval(ticket);' : ''}`);
    await restoreBackup({ ctx: s.ctx, environment: 'production', backupId: s.created.id, evidence: s.evidence });

    expect(Number((await s.query('select n from big_count'))[0]!.n)).toBe(200); // total > 100, over the restored rows
    expect(Number((await s.query('select answer() as a'))[0]!.a)).toBe(42);
    if (mariadb) expect(Number((await s.query('select nextval(ticket) as n'))[0]!.n)).toBe(500);
    const objects = async (sql: string) => (await s.query(sql)).map((r) => String(Object.values(r)[0]));
    expect(await objects(`select table_name from information_schema.views where table_schema = '${s.name}' order by 1`)).toEqual(['big', 'big_count']);
    expect(await objects(`select routine_name from information_schema.routines where routine_schema = '${s.name}' order by 1`)).toEqual(['answer', 'total_of']);
    expect(await objects(`select concat(event_name, ' ', status) from information_schema.events where event_schema = '${s.name}'`)).toEqual(['nightly DISABLED']);
    // The restored views read the live database's tables, not the (dropped) restore copy's.
    expect(await objects(`select view_definition from information_schema.views where table_schema = '${s.name}' and view_definition like '%sg\\_restore%'`)).toEqual([]);
  });

  it('a backup view the restoring user may not create in the live database undoes the swap: tables and objects as they were', async () => {
    const user = `sg_nv_${randomBytes(4).toString('hex')}`;
    const a = await admin();
    await a.query(`create user '${user}'@'%'`);
    cleanup.push(async () => {
      const b = await admin();
      await b.query(`drop user if exists '${user}'@'%'`);
      await b.end();
    });
    // The view's definer is the restoring user (who may read the tables), so it may create it in
    // the restore copy.
    const s = await setup((name) => `
    grant select on \`${name}\`.* to '${user}'@'%';
    create definer='${user}'@'%' view big as select id, total from orders where total > 100;`);
    const verified = await verifyBackup({ ctx: s.ctx, backup: s.ref, evidence: s.evidence });
    expect(verified.passed, JSON.stringify(verified.checks)).toBe(true);
    // Every right on the restore copies, but no CREATE VIEW in the live database.
    const esc = (n: string) => n.replace(/_/g, '\\_');
    await a.query(`grant all on \`${esc(s.name)}\\_sg\\_%\`.* to '${user}'@'%';
      revoke select on \`${s.name}\`.* from '${user}'@'%';
      grant select, insert, update, delete, create, drop, alter, index, lock tables, show view, event, trigger, create routine, alter routine, execute, references, create temporary tables on \`${s.name}\`.* to '${user}'@'%'`);
    await a.end();
    await s.query('delete from orders where id > 10; drop view big;');
    const as = new URL(String(s.ctx.databaseUrl));
    as.username = user;
    const e = await restoreBackup({ ctx: { ...s.ctx, databaseUrl: as.href }, environment: 'production', backupId: s.created.id, evidence: s.evidence }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'SG_DATA_MYSQL_OBJECTS' });
    expect((e as Error).message).toMatch(/could not be created there .*the swap was undone: its tables are as they were, and so are its views, routines and events/);
    expect(Number((await s.query('select count(*) as n from orders'))[0]!.n)).toBe(10);
    expect(await s.query(`select table_name from information_schema.views where table_schema = '${s.name}'`)).toEqual([]);
    const c = await admin();
    const [rest] = (await c.query(`show databases like '${s.name}\\_sg\\_%'`)) as unknown as [unknown[]];
    await c.end();
    expect(rest).toEqual([]);
  });

  it('a view that calls a function of the same database, a changed routine keeping its grants, an unchanged one untouched', async () => {
    const user = `sg_app_${randomBytes(4).toString('hex')}`;
    const s = await setup((name) => `
    create function answer() returns int deterministic return 42;
    create view vf as select answer() as a, count(*) as n from orders;
    create procedure total_of(out t decimal(12,2)) select sum(total) into t from orders;
    create procedure same() select 1;
    create user '${user}'@'%';
    grant execute on procedure \`${name}\`.total_of to '${user}'@'%';
    grant execute, alter routine on procedure \`${name}\`.same to '${user}'@'%' with grant option;
    grant execute on function \`${name}\`.answer to '${user}'@'%';`);
    cleanup.push(async () => {
      const b = await admin();
      await b.query(`drop user if exists '${user}'@'%'`);
      await b.end();
    });
    expect((await verifyBackup({ ctx: s.ctx, backup: s.ref, evidence: s.evidence })).passed).toBe(true);
    const grants = async () => (await s.query(`show grants for '${user}'@'%'`)).map((r) => String(Object.values(r)[0])).sort();
    const before = await grants();
    const mine = async () => (await s.query(`select routine_name as n from mysql.procs_priv where db = '${s.name}' and concat(user, '@', host) = current_user()`)).map((r) => r.n);
    expect(await mine()).toEqual([]);
    // After the backup: the function and a procedure change (the view that calls the function
    // must be recreated after it), `same` does not.
    await s.query(`delete from orders where id > 10;
      drop function answer; create function answer() returns int deterministic return 7;
      drop procedure total_of; create procedure total_of(out t decimal(12,2)) select 0 into t;`);
    await s.query(`grant execute on function \`${s.name}\`.answer to '${user}'@'%'; grant execute on procedure \`${s.name}\`.total_of to '${user}'@'%'`);
    await restoreBackup({ ctx: s.ctx, environment: 'production', backupId: s.created.id, evidence: s.evidence });
    expect((await s.query('select a, n from vf'))[0]).toMatchObject({ a: 42, n: 300 });
    expect(await grants()).toEqual(before);
    // The server's automatic grants to the restoring user for the routines it recreated are gone.
    expect(await mine()).toEqual([]);
  });

  it('a MariaDB package in the live database is refused before anything is stopped', async () => {
    const s = await setup();
    const mariadb = String((await s.query('select version() as v'))[0]!.v).includes('MariaDB');
    if (!mariadb) return console.warn('skipped: MariaDB packages only');
    expect((await verifyBackup({ ctx: s.ctx, backup: s.ref, evidence: s.evidence })).passed).toBe(true);
    await s.query(`set sql_mode = oracle; create package pk as function f return int; end;`);
    const e = await checkRestorable({ ctx: s.ctx, environment: 'production', backupId: s.created.id, evidence: s.evidence }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'SG_DATA_MYSQL_OBJECTS' });
    expect((e as Error).message).toMatch(/package pk.*MariaDB packages/);
  });

  it('grants kept whatever case the GRANT spelled the routine in, and to a MariaDB role; system-versioned tables restored', async () => {
    const a = await admin();
    const mariadb = String(((await a.query('select version() as v')) as unknown as [Array<{ v: string }>])[0][0]!.v).includes('MariaDB');
    await a.end();
    const user = `sg_cs_${randomBytes(4).toString('hex')}`;
    const role = `sg_rl_${randomBytes(4).toString('hex')}`;
    const s = await setup((name) => `
    create procedure MyProc() select 1;
    create user '${user}'@'%';
    grant execute on procedure \`${name}\`.myproc to '${user}'@'%';${mariadb ? `
    create role ${role};
    grant execute on procedure \`${name}\`.MyProc to ${role};
    create table hist (id int primary key, v int) with system versioning;
    insert into hist values (1, 1);` : ''}`);
    cleanup.push(async () => {
      const b = await admin();
      await b.query(`drop user if exists '${user}'@'%'`);
      if (mariadb) await b.query(`drop role if exists ${role}`);
      await b.end();
    });
    expect((await verifyBackup({ ctx: s.ctx, backup: s.ref, evidence: s.evidence })).passed).toBe(true);
    if (mariadb) expect(s.created.metadata.database!.rowCounts).toMatchObject({ hist: 1 });
    const grants = async (who: string) => (await s.query(`show grants for ${who}`)).map((r) => String(Object.values(r)[0])).sort();
    const before = { user: await grants(`'${user}'@'%'`), role: mariadb ? await grants(role) : [] };
    await s.query(`drop procedure MyProc; create procedure MyProc() select 2; grant execute on procedure \`${s.name}\`.myproc to '${user}'@'%';${mariadb ? ` grant execute on procedure \`${s.name}\`.MyProc to ${role}; update hist set v = 99; insert into hist values (2, 2);` : ''}`);
    await restoreBackup({ ctx: s.ctx, environment: 'production', backupId: s.created.id, evidence: s.evidence });
    expect({ user: await grants(`'${user}'@'%'`), role: mariadb ? await grants(role) : [] }).toEqual(before);
    expect(String((await s.query(`show create procedure MyProc`))[0]!['Create Procedure'])).toContain('select 1');
    if (mariadb) expect(await s.query('select id, v from hist')).toEqual([{ id: 1, v: 1 }]);
  });

  it('a restoring user who could not give a replaced routine\'s grant back is refused before the swap, the grant intact', async () => {
    const restorer = `sg_ng_${randomBytes(4).toString('hex')}`;
    const other = `sg_ot_${randomBytes(4).toString('hex')}`;
    const a = await admin();
    await a.query(`create user '${restorer}'@'%'; create user '${other}'@'%'`);
    cleanup.push(async () => {
      const b = await admin();
      await b.query(`drop user if exists '${restorer}'@'%'; drop user if exists '${other}'@'%'`);
      await b.end();
    });
    const s = await setup((name) => `
    create definer='${restorer}'@'%' procedure p() select 1;
    grant execute on procedure \`${name}\`.p to '${other}'@'%';`);
    const esc = (n: string) => n.replace(/_/g, '\\_');
    // Every right on the database and its restore copies, and reading the routine tables, but no GRANT OPTION.
    await a.query(`grant all on \`${s.name}\`.* to '${restorer}'@'%'; grant all on \`${esc(s.name)}\\_sg\\_%\`.* to '${restorer}'@'%';
      grant select on mysql.procs_priv to '${restorer}'@'%'; grant select on mysql.proc to '${restorer}'@'%'`);
    await a.end();
    expect((await verifyBackup({ ctx: s.ctx, backup: s.ref, evidence: s.evidence })).passed).toBe(true);
    await s.query(`delete from orders where id > 10; drop procedure p; create definer='${restorer}'@'%' procedure p() select 2; grant execute on procedure \`${s.name}\`.p to '${other}'@'%';`);
    const as = new URL(String(s.ctx.databaseUrl));
    as.username = restorer;
    const e = await restoreBackup({ ctx: { ...s.ctx, databaseUrl: as.href }, environment: 'production', backupId: s.created.id, evidence: s.evidence }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'SG_DATA_MYSQL_OBJECTS' });
    expect((e as Error).message).toMatch(new RegExp(`drops the grant Execute to ${other}@%, which this user may not give back .*nothing was touched`));
    expect(Number((await s.query('select count(*) as n from orders'))[0]!.n)).toBe(10);
    expect((await s.query(`show grants for '${other}'@'%'`)).map((r) => String(Object.values(r)[0])).join('\n')).toMatch(/GRANT EXECUTE ON PROCEDURE .*\.`p`/);
  });

  it('restores views when the server runs with ANSI_QUOTES (SHOW CREATE then quotes with ")', async () => {
    const s = await setup(`
    create view big as select id, total from orders where total > 100;`);
    expect((await verifyBackup({ ctx: s.ctx, backup: s.ref, evidence: s.evidence })).passed).toBe(true);
    await s.query('delete from orders where id > 10; create or replace view big as select id, total from orders where total > 5');
    const a = await admin();
    const [[{ m }]] = (await a.query('select @@global.sql_mode as m')) as unknown as [[{ m: string }]];
    await a.query(`set global sql_mode = concat(@@global.sql_mode, ',ANSI_QUOTES')`);
    try {
      await restoreBackup({ ctx: s.ctx, environment: 'production', backupId: s.created.id, evidence: s.evidence });
    } finally {
      await a.query('set global sql_mode = ?', [m]);
      await a.end();
    }
    expect(Number((await s.query('select count(*) as n from big'))[0]!.n)).toBe(200);
  });

  it('a MariaDB package only in the backup is refused before anything is stopped, naming the live database', async () => {
    const s = await setup();
    const mariadb = String((await s.query('select version() as v'))[0]!.v).includes('MariaDB');
    if (!mariadb) return console.warn('skipped: MariaDB packages only');
    await s.query(`set sql_mode = oracle; create package pk as function f return int; end;`);
    const again = await createBackup({ ctx: s.ctx, environment: 'production', evidence: s.evidence });
    const ref = await findBackup(backupsRoot(s.p.dir, '.shipgate/backups'), 'production', again.id);
    expect((await verifyBackup({ ctx: s.ctx, backup: ref, evidence: s.evidence })).passed).toBe(true);
    await s.query('set sql_mode = oracle; drop package pk;');
    const e = await checkRestorable({ ctx: s.ctx, environment: 'production', backupId: again.id, evidence: s.evidence }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'SG_DATA_MYSQL_OBJECTS' });
    expect((e as Error).message).toContain(`the backup of MySQL database ${s.name} holds MariaDB packages`);
  });
});
