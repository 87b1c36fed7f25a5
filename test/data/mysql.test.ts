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

async function setup() {
  const name = `sg_test_${randomBytes(4).toString('hex')}`;
  const c = await admin();
  await c.query(`create database ${name}; use ${name};
    create table orders (id int auto_increment primary key, total decimal(10,2) not null) engine=InnoDB;
    create table items (id int auto_increment primary key, name varchar(40)) engine=InnoDB;
    insert into orders (total) select seq from seq_1_to_300;
    insert into items (name) select concat('item-', seq) from seq_1_to_17;`);
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
});
