import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackup } from '../../src/data/create-backup.js';
import { EVIDENCE } from '../../src/data/evidence.js';
import { backupsRoot, findBackup } from '../../src/data/layout.js';
import { buildManifest, digestManifest } from '../../src/data/manifest.js';
import { stampOf } from '../../src/data/data-context.js';
import { rehearse } from '../../src/data/rehearse.js';
import { checkRestorable, restoreBackup } from '../../src/data/restore-backup.js';
import { RunbookSchema } from '../../src/runbook/schema.js';
import { verifyBackup } from '../../src/data/verify-backup.js';
import { buildInMemoryEvidenceLog } from '../support/data-evidence.js';
import { makeDataProject } from '../support/data-fixture.js';
import { createPgDatabase, scratchDatabases } from '../support/data-pg.js';
import { PG_URL, postgresAvailable } from '../support/data-services.js';
import { runCli } from '../support/data-cli.js';

const available = await postgresAvailable();
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const SETUP = `
  create table orders (id serial primary key, total numeric not null);
  create schema inv; create table inv.items (id serial primary key, name text);
  insert into orders (total) select g from generate_series(1, 500) g;
  insert into inv.items (name) select 'item-' || g from generate_series(1, 42) g;`;

async function setup() {
  const db = await createPgDatabase(SETUP);
  cleanup.push(db.drop);
  const p = await makeDataProject({ withDb: false });
  cleanup.push(() => p.dispose());
  const ctx = p.ctx({ database: { kind: 'postgres', url: db.url }, storage: [] }, { databaseUrl: db.url });
  const evidence = buildInMemoryEvidenceLog();
  return { db, p, ctx, evidence };
}

async function backup(s: Awaited<ReturnType<typeof setup>>) {
  const created = await createBackup({ ctx: s.ctx, environment: 'production', evidence: s.evidence });
  return { created, ref: await findBackup(backupsRoot(s.p.dir, '.shipgate/backups'), 'production', created.id) };
}

/** Simulates damage that happened BEFORE the manifest was sealed (so checksums agree with it). */
async function reseal(s: Awaited<ReturnType<typeof setup>>, dir: string, id: string) {
  const m = await buildManifest(join(dir, 'data'));
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(m));
  await s.evidence.record(EVIDENCE.created, { id, manifestDigest: digestManifest(m) });
}

describe.skipIf(!available)('postgres (local server, pg_dump -Fd / pg_restore)', () => {
  it('backs up with counts from the dump snapshot, verifies in a scratch database, drops it', async () => {
    const s = await setup();
    const { created, ref } = await backup(s);
    const meta = created.metadata.database!;
    expect(meta.rowCounts).toEqual({ 'inv.items': 42, 'public.orders': 500 });
    expect(meta.toolVersion).toMatch(/^pg_dump \(PostgreSQL\) \d+/);
    expect(meta.countMethod).toContain('--snapshot');
    expect(await readdir(join(ref.dir, 'data/db'))).toContain('toc.dat');
    const report = await verifyBackup({ ctx: s.ctx, backup: ref, evidence: s.evidence });
    expect(report.checks.map((c) => [c.name, c.passed])).toEqual([['manifest-digest', true], ['metadata-digest', true], ['manifest-checksums', true], ['database-restore', true], ['row-counts', true], ['database-has-tables', true]]);
    expect(await scratchDatabases(s.db.name)).toEqual([]);
  });

  it('a dump that pg_restore rejects fails database-restore with pg_restore\'s words; scratch dropped', async () => {
    const s = await setup();
    const { ref, created } = await backup(s);
    await writeFile(join(ref.dir, 'data/db/toc.dat'), Buffer.from('PGDMP garbage that is not a table of contents'));
    await reseal(s, ref.dir, created.id);
    const report = await verifyBackup({ ctx: s.ctx, backup: ref, evidence: s.evidence });
    const restore = report.checks.find((c) => c.name === 'database-restore')!;
    expect(restore.passed).toBe(false);
    expect(restore.measured).toMatch(/pg_restore rejected the dump in .*data\/db \(exit 1\): pg_restore: error/);
    expect(report.passed).toBe(false);
    expect(await scratchDatabases(s.db.name)).toEqual([]);
  });

  it('a row count that differs fails row-counts naming the table', async () => {
    const s = await setup();
    const { ref } = await backup(s);
    const metaPath = join(ref.dir, 'metadata.json');
    const meta = JSON.parse(await readFile(metaPath, 'utf8'));
    meta.database.rowCounts['public.orders'] = 501;
    await writeFile(metaPath, JSON.stringify(meta));
    const report = await verifyBackup({ ctx: s.ctx, backup: ref, evidence: s.evidence });
    const rc = report.checks.find((c) => c.name === 'row-counts')!;
    expect(rc.passed).toBe(false);
    expect(JSON.stringify(rc.details)).toContain('table public.orders: expected 501 rows, restored copy has 500');
  });

  it('pg_dump absent from PATH: SG_DATA_TOOL_MISSING naming it, no partial backup left', async () => {
    const s = await setup();
    const ctx = { ...s.ctx, env: { PATH: '/nonexistent' } };
    const e = await createBackup({ ctx, environment: 'production', evidence: s.evidence }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'SG_DATA_TOOL_MISSING', exitCode: 1 });
    expect((e as Error).message).toContain('pg_dump was not found on PATH (/nonexistent)');
    expect(await readdir(join(s.p.dir, '.shipgate/backups/production'))).toEqual([]);
    expect(s.evidence.entries).toEqual([]);
  });

  it('restore check-only: passes while a session is connected; names pg_restore when it is missing, before anything is stopped', async () => {
    const s = await setup();
    const { created, ref } = await backup(s);
    expect((await verifyBackup({ ctx: s.ctx, backup: ref, evidence: s.evidence })).passed).toBe(true);
    const holder = new pg.Client({ connectionString: s.db.url });
    await holder.connect();
    cleanup.push(() => holder.end().catch(() => {}));
    // The app is still connected: the check does not need it gone (the restore will).
    const ok = await checkRestorable({ ctx: s.ctx, environment: 'production', backupId: created.id, evidence: s.evidence });
    expect(ok.ref.id).toBe(created.id);
    // pg_dump on PATH, pg_restore not: the restore would fail after its safety backup.
    const bin = await mkdtemp(join(tmpdir(), 'sg-only-pgdump-'));
    cleanup.push(() => rm(bin, { recursive: true, force: true }));
    await symlink(execFileSync('sh', ['-c', 'command -v pg_dump']).toString().trim(), join(bin, 'pg_dump'));
    const e = await checkRestorable({ ctx: { ...s.ctx, env: { ...s.ctx.env, PATH: bin } }, environment: 'production', backupId: created.id, evidence: s.evidence }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'SG_DATA_TOOL_MISSING' });
    expect((e as Error).message).toContain('pg_restore was not found on PATH');
  });

  it('restore check-only: a pg_dump older than the server, a pg_restore older than the backup, or a server it cannot reach stops the check; nothing is written', async () => {
    const s = await setup();
    const { created, ref } = await backup(s);
    expect((await verifyBackup({ ctx: s.ctx, backup: ref, evidence: s.evidence })).passed).toBe(true);
    const before = (await s.db.query('select count(*)::int as n from orders')).rows;
    // FAKE old tools (no client that old can be installed here), each beside the real other one.
    const withOldTool = async (fake: 'pg_dump' | 'pg_restore') => {
      const real = fake === 'pg_dump' ? 'pg_restore' : 'pg_dump';
      const bin = await mkdtemp(join(tmpdir(), `sg-old-${fake}-`));
      cleanup.push(() => rm(bin, { recursive: true, force: true }));
      await writeFile(join(bin, fake), `#!/bin/sh\necho "${fake} (PostgreSQL) 9.6.24"\n`);
      await chmod(join(bin, fake), 0o755);
      await symlink(execFileSync('sh', ['-c', `command -v ${real}`]).toString().trim(), join(bin, real));
      return checkRestorable({ ctx: { ...s.ctx, env: { ...s.ctx.env, PATH: bin } }, environment: 'production', backupId: created.id, evidence: s.evidence }).catch((x: unknown) => x);
    };
    // An old pg_dump: the safety backup would refuse after the app was stopped.
    const old = await withOldTool('pg_dump');
    expect(old).toMatchObject({ code: 'SG_DATA_PG_DUMP_TOO_OLD' });
    expect((old as Error).message).toMatch(/pg_dump is major version 9 .* but the server is \d+/);
    // An old pg_restore: it could not read the archive.
    expect(await withOldTool('pg_restore')).toMatchObject({ code: 'SG_DATA_PG_RESTORE_TOO_OLD' });
    // The server at the URL does not answer: a restore could not run either.
    const closed = s.db.url.replace(/:\d+\//, ':1/');
    const down = await checkRestorable({ ctx: { ...s.ctx, databaseUrl: closed }, environment: 'production', backupId: created.id, evidence: s.evidence }).catch((x: unknown) => x);
    expect(down).toBeInstanceOf(Error);
    expect((down as Error).message).toMatch(/127\.0\.0\.1:1|ECONNREFUSED|connect/i);
    expect((await s.db.query('select count(*)::int as n from orders')).rows).toEqual(before);
    expect(s.evidence.entries.filter((e) => e.kind !== EVIDENCE.created && e.kind !== EVIDENCE.verified)).toEqual([]);
  });

  it('restore check-only refuses a role that could not recreate the owners and the database (before anything is stopped)', async () => {
    const s = await setup();
    const suffix = s.db.name.slice(-8);
    const owner = `sg_own_${suffix}`;
    const restorer = `sg_rst_${suffix}`;
    await s.db.query(`create role ${owner}; alter table inv.items owner to ${owner}; create role ${restorer} login`);
    cleanup.push(async () => void (await s.db.query(`reassign owned by ${owner} to postgres; drop owned by ${owner}; drop role if exists ${owner}; drop role if exists ${restorer}`).catch(() => {})));
    const { created, ref } = await backup(s);
    expect((await verifyBackup({ ctx: s.ctx, backup: ref, evidence: s.evidence })).passed).toBe(true);
    // As the superuser of the URL: passes.
    expect((await checkRestorable({ ctx: s.ctx, environment: 'production', backupId: created.id, evidence: s.evidence })).ref.id).toBe(created.id);
    // As a plain login role: no CREATEDB, not a member of the owners (the table's, the database's).
    const as = new URL(s.db.url);
    as.username = restorer;
    const e = await checkRestorable({ ctx: { ...s.ctx, databaseUrl: as.href }, environment: 'production', backupId: created.id, evidence: s.evidence }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'SG_DATA_PG_PRIVILEGES' });
    expect((e as Error).message).toContain(`the role ${restorer} cannot create databases (CREATEDB)`);
    expect((e as Error).message).toMatch(new RegExp(`is not a member of .*${owner}`));
    // A role with CREATEDB, in the owner roles, is still refused when the database holds another
    // role's settings (ALTER ROLE … IN DATABASE … SET), which it could not carry over.
    await s.db.query(`alter role ${restorer} createdb; grant ${owner}, postgres to ${restorer}`);
    expect((await checkRestorable({ ctx: { ...s.ctx, databaseUrl: as.href }, environment: 'production', backupId: created.id, evidence: s.evidence })).ref.id).toBe(created.id);
    await s.db.query(`alter role ${owner} in database "${s.db.name}" set statement_timeout = '5s'`);
    const settings = await checkRestorable({ ctx: { ...s.ctx, databaseUrl: as.href }, environment: 'production', backupId: created.id, evidence: s.evidence }).catch((x: unknown) => x);
    expect(settings).toMatchObject({ code: 'SG_DATA_PG_PRIVILEGES' });
    expect((settings as Error).message).toContain(`cannot carry over the settings of role(s) ${owner} in this database`);
    await s.db.query(`alter role ${owner} in database "${s.db.name}" reset statement_timeout; alter database "${s.db.name}" set log_statement = 'ddl'; alter database "${s.db.name}" set app.jwt_secret = 'x'`);
    const superOnly = await checkRestorable({ ctx: { ...s.ctx, databaseUrl: as.href }, environment: 'production', backupId: created.id, evidence: s.evidence }).catch((x: unknown) => x);
    expect((superOnly as Error).message).toContain('cannot carry over the database\'s setting(s) log_statement (only a superuser may set them)');
    expect((superOnly as Error).message).toContain('cannot carry over the database\'s custom setting(s) app.jwt_secret');
  });

  it('a swap that fails halfway (a session on the restored copy) leaves the live database in place under its name', async () => {
    const s = await setup();
    const { created, ref } = await backup(s);
    expect((await verifyBackup({ ctx: s.ctx, backup: ref, evidence: s.evidence })).passed).toBe(true);
    await s.db.query('delete from orders where id > 100');
    const at = new Date('2026-11-21T08:10:00.000Z');
    const fresh = `${s.db.name.slice(0, 30)}_sg_restore_${stampOf(at).toLowerCase()}`;
    // Joins the restored copy as soon as it exists, so renaming it to the live name fails
    // ("being accessed by other users") after the live database was already renamed away.
    let joined: pg.Client | undefined;
    let stop = false;
    const joining = (async () => {
      while (!stop && !joined) {
        const c = new pg.Client({ connectionString: s.db.url.replace(s.db.name, fresh) });
        c.on('error', () => {}); // ended by the restore's cleanup (drop … with (force))
        try {
          await c.connect();
          joined = c;
        } catch {
          await c.end().catch(() => {});
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    })();
    cleanup.push(async () => {
      stop = true;
      await joining;
      await joined?.end().catch(() => {});
    });
    const e = await restoreBackup({ ctx: { ...s.ctx, clock: () => at }, environment: 'production', backupId: created.id, evidence: s.evidence }).catch((x: unknown) => x);
    stop = true;
    await joining;
    expect(joined).toBeDefined(); // the fault happened as intended
    expect(e).toBeInstanceOf(Error);
    // The live database is still there, as it was: 100 orders (the restore would have made 500).
    expect((await s.db.query('select count(*)::int as n from orders')).rows).toEqual([{ n: 100 }]);
  });

  it('restores a verified backup by restoring beside and renaming (grants kept); refuses while another session is connected', async () => {
    const s = await setup();
    const role = `sg_app_${s.db.name.slice(-8)}`;
    await s.db.query(`create role ${role}; grant select on orders to ${role}`);
    cleanup.push(async () => void (await s.db.query(`drop owned by ${role}; drop role ${role}`).catch(() => {})));
    const { created, ref } = await backup(s);
    expect((await verifyBackup({ ctx: s.ctx, backup: ref, evidence: s.evidence })).passed).toBe(true);
    await s.db.query('delete from orders where id > 100; insert into inv.items (name) values (\'late\')');

    const holder = new pg.Client({ connectionString: s.db.url });
    await holder.connect();
    const e = await restoreBackup({ ctx: s.ctx, environment: 'production', backupId: created.id, evidence: s.evidence }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'SG_DATA_DB_LOCKED' });
    expect(Number((await holder.query('select count(*) as n from orders')).rows[0].n)).toBe(100); // untouched
    await holder.end();
    // The server ends the holder's backend after the client has gone; on a loaded machine it can
    // still be listed for a moment, which the restore (rightly) refuses. Wait until it is gone.
    // Asked from the server's admin database: a query in the target would itself be a session.
    const watcher = new pg.Client({ connectionString: PG_URL });
    await watcher.connect();
    try {
      for (let i = 0; i < 100; i++) {
        const left = await watcher.query('select count(*) as n from pg_stat_activity where datname = $1', [s.db.name]);
        if (Number(left.rows[0].n) === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await watcher.end();
    }

    const r = await restoreBackup({ ctx: s.ctx, environment: 'production', backupId: created.id, evidence: s.evidence });
    expect(Number((await s.db.query('select count(*) as n from orders')).rows[0].n)).toBe(500);
    expect(Number((await s.db.query('select count(*) as n from inv.items')).rows[0].n)).toBe(42);
    expect(r.safetyBackup.metadata.database!.rowCounts['public.orders']).toBe(100);
    expect((await s.db.query(`select has_table_privilege('${role}', 'orders', 'select') as ok`)).rows[0].ok).toBe(true);
    expect(await scratchDatabases(s.db.name)).toEqual([]);
  });

  it("restores the live database's own grants and settings (CONNECT, ALTER DATABASE / ROLE … IN DATABASE SET) onto the restored copy", async () => {
    const s = await setup();
    const app = `sg_app_${s.db.name.slice(-8)}`;
    const other = `sg_oth_${s.db.name.slice(-8)}`;
    const db = `"${s.db.name}"`;
    await s.db.query(`create role ${app}; create role ${other}; revoke connect, temporary on database ${db} from public; grant connect on database ${db} to ${app};
      alter database ${db} set work_mem = '8MB'; alter database ${db} set search_path = "$user", public, "in""v", inv; alter database ${db} set application_name = 'it''s live';
      alter database ${db} set temp_tablespaces = ''; alter database ${db} set app.tenant = 'a,b';
      alter role ${app} in database ${db} set statement_timeout = '5s'`);
    cleanup.push(async () => void (await s.db.query(`drop owned by ${app}; drop owned by ${other}; drop role ${app}; drop role ${other}`).catch(() => {})));
    const { created, ref } = await backup(s);
    expect((await verifyBackup({ ctx: s.ctx, backup: ref, evidence: s.evidence })).passed).toBe(true);
    const access = async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        const settings = await c.query('select coalesce(r.rolname, \'*\') as role, s.setconfig as config from pg_db_role_setting s join pg_database d on d.oid = s.setdatabase left join pg_roles r on r.oid = s.setrole where d.datname = $1 order by 1', [s.db.name]);
        const can = await c.query(`select has_database_privilege('${app}', $1, 'connect') as app, has_database_privilege('${other}', $1, 'connect') as other, has_database_privilege('${other}', $1, 'temporary') as temp`, [s.db.name]);
        return { settings: settings.rows, can: can.rows[0] };
      } finally {
        await c.end();
      }
    };
    const before = await access();
    expect(before.can).toEqual({ app: true, other: false, temp: false });
    expect(before.settings).toHaveLength(2);
    await s.db.query('delete from orders where id > 100');

    await restoreBackup({ ctx: s.ctx, environment: 'production', backupId: created.id, evidence: s.evidence });
    expect(Number((await s.db.query('select count(*) as n from orders')).rows[0].n)).toBe(500);
    expect(await access()).toEqual(before);
    expect(await scratchDatabases(s.db.name)).toEqual([]);
  });

  it('rehearse: migration and smoke run against a scratch database handed over in DATABASE_URL; live untouched', async () => {
    const s = await setup();
    const { ref } = await backup(s);
    expect((await verifyBackup({ ctx: s.ctx, backup: ref, evidence: s.evidence })).passed).toBe(true);
    const runbook = RunbookSchema.parse({
      version: 1,
      name: 'chefcloud',
      environments: { production: {} },
      migrations: { tool: 'prisma', dir: 'prisma/migrations', apply: 'psql -X -q "$DATABASE_URL" -c "alter table orders add column note text"' },
      phases: [{ id: 'p', steps: [{ id: 'smoke-orders', run: 'test "$(psql -X -qAt "$DATABASE_URL" -c "select count(*) from orders")" = 500' }] }],
    });
    const r = await rehearse({ ctx: s.ctx, runbook, environment: 'production', evidence: s.evidence, smoke: ['smoke-orders'] });
    expect(r.checks.map((c) => [c.name, c.passed])).toEqual([['manifest-checksums', true], ['migration', true], ['smoke:smoke-orders', true], ['live-database-untouched', true], ['scratch-schema-changed', true]]);
    expect(r.schemaBefore!.digest).not.toBe(r.schemaAfter!.digest);
    expect(r.schemaAfter!.tables).toEqual(['inv.items', 'public.orders']);
    expect(r.scratch).toMatch(/^sg_scratch_/);
    const cols = await s.db.query("select count(*) as n from information_schema.columns where table_name = 'orders' and column_name = 'note'");
    expect(Number(cols.rows[0].n)).toBe(0);
    expect(await scratchDatabases(s.db.name)).toEqual([]);
  });

  it('CLI: pg_dump absent from PATH exits 1 naming pg_dump; the URL comes from ${{ env.DATABASE_URL }}', async () => {
    const s = await setup();
    await writeFile(join(s.p.dir, 'shipgate.yml'), `version: 1\nname: chefcloud\nenvironments: { production: {} }\ndata:\n  database: { kind: postgres, url: "\${{ env.DATABASE_URL }}" }\nphases: [{ id: p, steps: [{ id: b, uses: backup }] }]\n`);
    const r = await runCli(['backup', 'create'], s.p.dir, { PATH: '/nonexistent', DATABASE_URL: s.db.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error SG_DATA_TOOL_MISSING: pg_dump was not found on PATH (/nonexistent)');
    const ok = await runCli(['backup', 'create', '--json'], s.p.dir, { DATABASE_URL: s.db.url });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).files).toBeGreaterThan(2);
  });

  it('a database that does not exist: SG_DATA_DB_MISSING naming it, password never printed', async () => {
    const s = await setup();
    const u = new URL(s.db.url);
    u.pathname = '/sg_does_not_exist';
    u.password = 's3cret-pw';
    const ctx = { ...s.ctx, databaseUrl: u.href };
    const e = await createBackup({ ctx, environment: 'production', evidence: s.evidence }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'SG_DATA_DB_MISSING' });
    expect((e as Error).message).toContain('sg_does_not_exist');
    expect((e as Error).message).not.toContain('s3cret-pw');
    await rm(join(s.p.dir, '.shipgate'), { recursive: true, force: true });
  });

  it('?password= in the URL: backup and verify never put it in pg_dump/pg_restore argv; tools get PGPASSWORD', async () => {
    const db = await createPgDatabase('create table t (id int); insert into t values (1), (2);');
    cleanup.push(db.drop);
    const p = await makeDataProject({ withDb: false });
    cleanup.push(() => p.dispose());
    // Wrappers in front of the real tools record each argv and whether PGPASSWORD was set.
    const bin = join(p.dir, 'bin');
    await mkdir(bin);
    const log = join(p.dir, 'argv.log');
    for (const tool of ['pg_dump', 'pg_restore']) {
      const real = (await execa('sh', ['-c', `command -v ${tool}`])).stdout.trim();
      await writeFile(join(bin, tool), `#!/bin/sh\necho "${tool} $* PGPASSWORD=\${PGPASSWORD:-unset}" >> ${log}\nexec ${real} "$@"\n`);
      await chmod(join(bin, tool), 0o755);
    }
    const url = `${db.url}?password=q-s3cret-pw`;
    const ctx = p.ctx({ database: { kind: 'postgres', url }, storage: [] }, { databaseUrl: url, env: { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` } });
    const evidence = buildInMemoryEvidenceLog();
    const created = await createBackup({ ctx, environment: 'production', evidence });
    const ref = await findBackup(backupsRoot(p.dir, '.shipgate/backups'), 'production', created.id);
    const r = await verifyBackup({ ctx, backup: ref, evidence });
    expect(r.passed).toBe(true);
    const lines = (await readFile(log, 'utf8')).trim().split('\n').filter((l) => !l.includes('--version'));
    expect(lines.some((l) => l.startsWith('pg_dump -Fd'))).toBe(true);
    expect(lines.some((l) => l.startsWith('pg_restore'))).toBe(true);
    for (const l of lines) {
      expect(l.replace(/PGPASSWORD=\S+$/, '')).not.toContain('q-s3cret-pw');
      expect(l).toMatch(/PGPASSWORD=q-s3cret-pw$/);
    }
    expect(JSON.stringify(evidence.entries)).not.toContain('q-s3cret-pw');
  });
});

describe('pg_dump version check (pure)', () => {
  it('names an older client major version clearly, accepts same or newer', async () => {
    const { checkPgDumpVersion } = await import('../../src/data/postgres-adapter.js');
    expect(checkPgDumpVersion('pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)', 150020, '15.20')).toBeUndefined();
    expect(checkPgDumpVersion('pg_dump (PostgreSQL) 17.2', 150020, '15.20')).toBeUndefined();
    const e = checkPgDumpVersion('pg_dump (PostgreSQL) 14.9', 160001, '16.1');
    expect(e).toMatchObject({ code: 'SG_DATA_PG_DUMP_TOO_OLD', hint: 'install the PostgreSQL 16 client tools (postgresql-client-16) and put them first on PATH' });
    expect(e!.message).toContain('pg_dump is major version 14');
  });

  it('pg_restore: refuses one older than the pg_dump that wrote the archive, accepts same or newer', async () => {
    const { checkPgRestoreVersion } = await import('../../src/data/postgres-adapter.js');
    expect(checkPgRestoreVersion('pg_restore (PostgreSQL) 15.20', 'pg_dump (PostgreSQL) 15.19 (Debian 15.19-0+deb12u1)')).toBeUndefined();
    expect(checkPgRestoreVersion('pg_restore (PostgreSQL) 17.1', 'pg_dump (PostgreSQL) 15.19')).toBeUndefined();
    const e = checkPgRestoreVersion('pg_restore (PostgreSQL) 14.9', 'pg_dump (PostgreSQL) 16.2');
    expect(e).toMatchObject({ code: 'SG_DATA_PG_RESTORE_TOO_OLD', hint: 'install the PostgreSQL 16 client tools (postgresql-client-16) and put them first on PATH' });
    expect(e!.message).toContain('pg_restore is major version 14');
    expect(checkPgRestoreVersion('something else', 'pg_dump (PostgreSQL) 16.2')).toMatchObject({ code: 'SG_DATA_TOOL_FAILED' });
  });
});
