import { availableParallelism } from 'node:os';
import type pg from 'pg';
import { canonicalJson, sha256Hex } from '../core/canonical-json.js';
import { stampOf, type DataContext } from './data-context.js';
import type { DatabaseAdapter, ScratchDatabase } from './database-adapter.js';
import { dataError } from './errors.js';
import { connectPg, pgTarget, quoteIdent, type PgTarget } from './pg-connection.js';
import { applyDatabaseAccess, readDatabaseAccess, type DatabaseAccess } from './pg-database-access.js';
import { compareRowCounts } from './row-counts.js';
import { lastLines, runTool, runToolOk } from './run-tool.js';
import { scratchName } from './scratch-name.js';
import { timed } from './timed.js';
import type { RowCounts } from './types.js';

/** Parallel jobs for pg_dump -j / pg_restore -j. Default: the CPU count, at most 4. */
const JOBS = Math.max(1, Math.min(4, availableParallelism()));

/**
 * Postgres through pg_dump's directory format (`-Fd -j N`) and pg_restore into a scratch database.
 *
 * Row counts come from the SAME snapshot as the dump: a REPEATABLE READ transaction exports its
 * snapshot (`pg_export_snapshot()`), counts every table, and stays open while `pg_dump
 * --snapshot=<it>` runs — so counts and dump agree exactly even while the app writes.
 */
export const postgresAdapter: DatabaseAdapter = {
  kind: 'postgres',

  async dump(dumpDir, ctx) {
    const t = pgTarget(ctx.databaseUrl ?? ctx.config.database?.url, ctx.env);
    const tool = await runToolOk('pg_dump', ['--version'], { env: ctx.env, signal: ctx.signal }, 'pg_dump --version');
    const toolVersion = tool.stdout.trim();
    const c = await connectPg(t);
    try {
      const server = await c.query<{ v: string; n: string }>("select current_setting('server_version') as v, current_setting('server_version_num') as n");
      const serverVersion = server.rows[0]!.v;
      const tooOld = checkPgDumpVersion(toolVersion, Number(server.rows[0]!.n), serverVersion);
      if (tooOld) throw tooOld;
      await c.query('begin isolation level repeatable read read only');
      const snapshot = (await c.query<{ s: string }>('select pg_export_snapshot() as s')).rows[0]!.s;
      const rowCounts = await countRows(c);
      const r = await runTool('pg_dump', ['-Fd', '-j', String(JOBS), `--snapshot=${snapshot}`, '--no-password', '-f', dumpDir, `--dbname=${t.safeUrl}`], { env: t.toolEnv, signal: ctx.signal });
      await c.query('commit');
      if (r.exitCode !== 0) {
        const full = /No space left|could not write/i.test(r.stderr);
        throw dataError(full ? 'SG_DATA_DISK_FULL' : 'SG_DATA_TOOL_FAILED', `pg_dump of ${t.database} failed (exit ${r.exitCode}): ${lastLines(r.stderr)}`, full ? 'free space on the backups disk and run the backup again' : 'run pg_dump by hand to see the whole output');
      }
      return { kind: 'postgres', tool: 'pg_dump -Fd', toolVersion, serverVersion, rowCounts, countMethod: 'COUNT(*) per table in the REPEATABLE READ transaction whose exported snapshot pg_dump used (--snapshot)' };
    } finally {
      await c.end().catch(() => {});
    }
  },

  async restoreToScratch(dumpDir, _info, _scratchDir, ctx) {
    const live = pgTarget(ctx.databaseUrl ?? ctx.config.database?.url, ctx.env);
    const name = scratchName(stampOf(ctx.clock()), live.database);
    const scratch = await restoreInto(live, name, dumpDir, ctx);
    return scratch;
  },

  async checkRestored(scratch, info, ctx) {
    const t = pgTarget(scratch.env.DATABASE_URL, ctx.env);
    const c = await connectPg(t);
    try {
      const counted = await timed(() => countRows(c));
      return [compareRowCounts(info.rowCounts, counted.value, counted.ms)];
    } finally {
      await c.end().catch(() => {});
    }
  },

  async describeSchema(scratch, ctx) {
    const t = pgTarget(scratch.env.DATABASE_URL, ctx.env);
    const r = await runToolOk('pg_dump', ['--schema-only', '--no-owner', '--no-privileges', '--no-password', `--dbname=${t.safeUrl}`], { env: t.toolEnv, signal: ctx.signal }, 'pg_dump --schema-only');
    // Comments and psql's \restrict/\unrestrict lines carry versions and random keys: not schema.
    const text = r.stdout.split('\n').filter((l) => !l.startsWith('--') && !l.startsWith('\\restrict') && !l.startsWith('\\unrestrict')).join('\n');
    const c = await connectPg(t);
    try {
      const tables = Object.keys(await countRows(c, true));
      return { digest: sha256Hex(canonicalJson({ text })), tables };
    } finally {
      await c.end().catch(() => {});
    }
  },

  async fingerprintLive(ctx) {
    const live = pgTarget(ctx.databaseUrl ?? ctx.config.database?.url, ctx.env);
    const schema = await this.describeSchema({ location: live.database, env: { DATABASE_URL: live.url }, drop: async () => {} }, ctx);
    // Content is not fingerprinted: the app keeps writing to a live Postgres, so any content
    // measure would be noise. A migration that only writes data is not caught here.
    return { location: `${live.database} (${live.safeUrl})`, schema: schema.digest, content: null };
  },

  async checkRestoreTarget(ctx, info, dumpPath) {
    const t = pgTarget(ctx.databaseUrl ?? ctx.config.database?.url, ctx.env);
    // The safety backup needs pg_dump, the restore pg_restore: a missing one fails after the stop.
    const dump = await runToolOk('pg_dump', ['--version'], { env: ctx.env, signal: ctx.signal }, 'pg_dump --version');
    const restore = await runToolOk('pg_restore', ['--version'], { env: ctx.env, signal: ctx.signal }, 'pg_restore --version');
    // A pg_restore older than the pg_dump that made the backup cannot read its archive.
    const unreadable = checkPgRestoreVersion(restore.stdout.trim(), info.toolVersion);
    if (unreadable) throw unreadable;
    // So does a pg_dump older than the server, which only a connection can tell: the safety
    // backup would refuse after the app was stopped. Reading two settings changes nothing.
    const c = await connectPg(t);
    try {
      const server = await c.query<{ v: string; n: string }>("select current_setting('server_version') as v, current_setting('server_version_num') as n");
      const tooOld = checkPgDumpVersion(dump.stdout.trim(), Number(server.rows[0]!.n), server.rows[0]!.v);
      if (tooOld) throw tooOld;
      // A live restore keeps ownership: it creates the database owned as now and pg_restore sets
      // each object's owner, both of which need the restoring role to be a member of those roles.
      const owners = new Set([...(await dumpOwners(dumpPath, ctx)), await databaseOwner(t, c)]);
      const { role, missing } = await rightsMissing(c, [...owners]);
      // The database's settings are copied onto the restored copy (pg-database-access.ts):
      // whatever this role could not set there fails the restore after the stop, so it is named now.
      missing.push(...(await settingsNotCopyable(c, (await readDatabaseAccess(c, t.database)).settings, Number(server.rows[0]!.n))));
      if (missing.length) {
        throw dataError('SG_DATA_PG_PRIVILEGES', `the restore would fail after the app was stopped: the role ${role} ${missing.join('; ')}; nothing was touched`, 'restore as the database owner or a superuser (the URL in data.database), or grant what is missing');
      }
    } finally {
      await c.end().catch(() => {});
    }
    // The swap renames the databases over a connection to the `postgres` database.
    await (await connectPg(t.withDatabase('postgres'))).end();
  },

  async preflightRestore(ctx) {
    const t = pgTarget(ctx.databaseUrl ?? ctx.config.database?.url, ctx.env);
    const c = await connectPg(t);
    try {
      await refuseIfInUse(c, t.database, 'pid <> pg_backend_pid()');
    } finally {
      await c.end().catch(() => {});
    }
  },

  async prepareRestore(dumpDir, _info, ctx) {
    const live = pgTarget(ctx.databaseUrl ?? ctx.config.database?.url, ctx.env);
    const stamp = stampOf(ctx.clock()).toLowerCase();
    const fresh = `${live.database.slice(0, 30)}_sg_restore_${stamp}`;
    const old = `${live.database.slice(0, 30)}_sg_old_${stamp}`;
    // Restore BESIDE the live database, then swap names: the live one is untouched until then.
    // A live restore keeps ownership and grants (the app's role must keep its rights) and the
    // database owner; scratch restores drop them so any role can verify.
    const owner = await databaseOwner(live);
    const scratch = await restoreInto(live, fresh, dumpDir, ctx, { owner });
    return {
      swap: async () => {
        const admin = await connectPg(live.withDatabase('postgres'));
        try {
          try {
            await refuseIfInUse(admin, live.database, 'true');
            // Grants on the database and its settings are not in the restored copy: taken from
            // the live database (pg-database-access.ts). A failure here leaves both untouched.
            await applyDatabaseAccess(admin, fresh, await readDatabaseAccess(admin, live.database));
            // Both renames or neither: between two separate statements a failure of the second
            // (say a session on the restored copy) left no database under the live name.
            await admin.query('begin');
            await admin.query(`alter database ${quoteIdent(live.database)} rename to ${quoteIdent(old)}`);
            await admin.query(`alter database ${quoteIdent(fresh)} rename to ${quoteIdent(live.database)}`);
            await admin.query('commit');
          } catch (e) {
            await admin.query('rollback').catch(() => {});
            throw e;
          }
          // Swapped. What is left under the old name is the pre-restore database, which the
          // safety backup also holds: a failure to drop it leaves a spare copy, not a failed restore.
          await admin.query(`drop database ${quoteIdent(old)}`).catch(() => {});
        } finally {
          await admin.end().catch(() => {});
        }
      },
      // After a swap the name `fresh` is gone and this drops nothing.
      discard: () => scratch.drop(),
    };
  },
};

/** The owner of `t`'s database, asked over `c` when one is open, else over a connection of its own. */
async function databaseOwner(t: PgTarget, c?: pg.Client): Promise<string> {
  const client = c ?? (await connectPg(t));
  try {
    return (await client.query<{ o: string }>('select pg_get_userbyid(datdba) as o from pg_database where datname = $1', [t.database])).rows[0]!.o;
  } finally {
    if (!c) await client.end().catch(() => {});
  }
}

async function restoreInto(server: PgTarget, name: string, dumpDir: string, ctx: DataContext, live?: { owner: string }): Promise<ScratchDatabase> {
  const target = server.withDatabase(name);
  const admin = await connectPg(server);
  try {
    await admin.query(`create database ${quoteIdent(name)} template template0${live ? ` owner ${quoteIdent(live.owner)}` : ''}`);
  } finally {
    await admin.end().catch(() => {});
  }
  const scratch: ScratchDatabase = {
    location: name,
    env: { DATABASE_URL: target.url, SHIPGATE_REHEARSAL_DATABASE_URL: target.url, PGDATABASE: name },
    drop: async () => {
      const a = await connectPg(server);
      try {
        await a.query(`drop database if exists ${quoteIdent(name)} with (force)`);
      } finally {
        await a.end().catch(() => {});
      }
    },
  };
  const r = await runTool('pg_restore', ['-j', String(JOBS), ...(live ? [] : ['--no-owner', '--no-privileges']), '--exit-on-error', '--no-password', `--dbname=${target.safeUrl}`, dumpDir], { env: target.toolEnv, signal: ctx.signal }).catch(async (e: unknown) => {
    await scratch.drop();
    throw e;
  });
  if (r.exitCode !== 0) {
    await scratch.drop();
    const rights = /must be member of role|must be owner of|permission denied/i.test(r.stderr);
    throw dataError(
      'SG_DATA_PG_RESTORE_FAILED',
      `pg_restore rejected the dump in ${dumpDir} (exit ${r.exitCode}): ${lastLines(r.stderr)}`,
      rights ? 'the restoring role lacks a right the dump needs (see above): restore as the database owner or a superuser' : 'the dump is damaged: take a new backup (shipgate backup create) and verify it',
    );
  }
  return scratch;
}

/** The roles that own objects in a directory-format dump: the last field of each `pg_restore -l` entry. */
async function dumpOwners(dumpDir: string, ctx: DataContext): Promise<string[]> {
  const r = await runToolOk('pg_restore', ['-l', dumpDir], { env: ctx.env, signal: ctx.signal }, 'pg_restore -l');
  const owners = new Set<string>();
  for (const line of r.stdout.split('\n')) {
    if (!/^\d+;/.test(line)) continue; // comments and blank lines
    const owner = line.trim().split(/\s+/).at(-1);
    if (owner && owner !== '-') owners.add(owner);
  }
  return [...owners];
}

/** What the connected role lacks for a live restore: CREATEDB, and membership in each owner role. */
async function rightsMissing(c: pg.Client, owners: readonly string[]): Promise<{ role: string; missing: string[] }> {
  const me = await c.query<{ role: string; su: boolean; createdb: boolean }>('select rolname as role, rolsuper as su, rolcreatedb as createdb from pg_roles where rolname = current_user');
  const role = me.rows[0]?.role ?? 'connecting';
  if (me.rows[0]?.su) return { role, missing: [] };
  const missing: string[] = [];
  if (!me.rows[0]?.createdb) missing.push('cannot create databases (CREATEDB)');
  const roles = await c.query<{ rolname: string; member: boolean }>("select rolname, pg_has_role(current_user, oid, 'MEMBER') as member from pg_roles where rolname = any($1)", [owners]);
  const found = new Map(roles.rows.map((r) => [r.rolname, r.member]));
  const absent = owners.filter((o) => !found.has(o));
  const notMember = owners.filter((o) => found.get(o) === false);
  if (absent.length) missing.push(`finds no role ${absent.join(', ')} (owners in the backup)`);
  if (notMember.length) missing.push(`is not a member of ${notMember.join(', ')} (owners in the backup)`);
  return { role, missing };
}

/**
 * Settings of the live database this role could not give the restored copy: another role's
 * (ALTER ROLE … IN DATABASE needs CREATEROLE, or SUPERUSER for a superuser role), one only a
 * superuser may set (log_statement, unless GRANT SET ON PARAMETER allows it), and a custom one
 * (app.jwt_secret): Postgres then checks who set it, which the catalog does not say.
 */
async function settingsNotCopyable(c: pg.Client, settings: DatabaseAccess['settings'], serverVersion: number): Promise<string[]> {
  if (!settings.length) return [];
  const me = (await c.query<{ name: string; su: boolean; cr: boolean }>('select rolname as name, rolsuper as su, rolcreaterole as cr from pg_roles where rolname = current_user')).rows[0]!;
  if (me.su) return [];
  const out: string[] = [];
  const roles = [...new Set(settings.map((x) => x.role).filter((r): r is string => r !== null && r !== me.name))];
  const superRoles = new Set((await c.query<{ r: string }>('select rolname as r from pg_roles where rolsuper and rolname = any($1)', [roles])).rows.map((x) => x.r));
  const blockedRoles = roles.filter((r) => superRoles.has(r) || !me.cr);
  if (blockedRoles.length) out.push(`cannot carry over the settings of role(s) ${blockedRoles.join(', ')} in this database (ALTER ROLE … IN DATABASE … SET needs CREATEROLE, or SUPERUSER for a superuser role)`);
  const names = [...new Set(settings.map((x) => x.name))];
  const known = new Map((await c.query<{ name: string; context: string }>('select name, context from pg_settings where name = any($1)', [names])).rows.map((r) => [r.name, r.context]));
  const allowed = async (name: string) => serverVersion >= 150000 && (await c.query<{ ok: boolean }>("select has_parameter_privilege(current_user, $1, 'SET') as ok", [name])).rows[0]!.ok;
  const superOnly: string[] = [];
  for (const name of names) {
    if (known.get(name) === 'superuser' && !(await allowed(name))) superOnly.push(name);
  }
  if (superOnly.length) out.push(`cannot carry over the database's setting(s) ${superOnly.join(', ')} (only a superuser may set them)`);
  const custom = names.filter((n) => !known.has(n));
  if (custom.length) out.push(`cannot carry over the database's custom setting(s) ${custom.join(', ')} (a role that is not a superuser may be refused them, and the catalog does not say who set them)`);
  return out;
}

async function refuseIfInUse(c: pg.Client, database: string, extra: string): Promise<void> {
  const r = await c.query<{ n: string }>(`select count(*) as n from pg_stat_activity where datname = $1 and ${extra}`, [database]);
  const n = Number(r.rows[0]!.n);
  if (n > 0) {
    throw dataError('SG_DATA_DB_LOCKED', `Postgres database ${database} has ${n} other open connection(s); restore would replace it under them, so nothing was touched`, 'stop the app (and close other sessions) and run the restore again');
  }
}

/** Exact COUNT(*) of every ordinary table outside the system schemas, keyed `schema.table`. */
async function countRows(c: pg.Client, namesOnly = false): Promise<RowCounts> {
  const tables = await c.query<{ s: string; t: string }>(
    "select n.nspname as s, c.relname as t from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%' order by 1, 2",
  );
  const out: Record<string, number> = {};
  for (const { s, t } of tables.rows) {
    out[`${s}.${t}`] = namesOnly ? 0 : Number((await c.query<{ n: string }>(`select count(*) as n from ${quoteIdent(s)}.${quoteIdent(t)}`)).rows[0]!.n);
  }
  return out;
}

/** The major version in a client tool's `--version` line, e.g. 15 in `pg_dump (PostgreSQL) 15.20`; NaN if none. */
const pgMajor = (versionLine: string) => Number(/\(PostgreSQL\)\s+(\d+)/.exec(versionLine)?.[1] ?? Number.NaN);

/** An error when `pg_restore` (its `--version` line) is of an older major version than the `pg_dump` that wrote the archive. */
export function checkPgRestoreVersion(restoreVersion: string, dumpVersion: string): Error | undefined {
  const restoreMajor = pgMajor(restoreVersion);
  const dumpMajor = pgMajor(dumpVersion);
  if (Number.isNaN(restoreMajor)) return dataError('SG_DATA_TOOL_FAILED', `cannot read pg_restore's version from "${restoreVersion}"`, 'check which pg_restore is first on PATH');
  if (Number.isNaN(dumpMajor) || restoreMajor >= dumpMajor) return undefined;
  return dataError('SG_DATA_PG_RESTORE_TOO_OLD', `pg_restore is major version ${restoreMajor} (${restoreVersion}) but the backup was written by pg_dump ${dumpMajor} (${dumpVersion}); an older pg_restore cannot read a newer archive`, `install the PostgreSQL ${dumpMajor} client tools (postgresql-client-${dumpMajor}) and put them first on PATH`);
}

/** pg_dump must be at least the server's major version; an older one is named with the fix. */
export function checkPgDumpVersion(toolVersion: string, serverVersionNum: number, serverVersion: string): Error | undefined {
  const clientMajor = pgMajor(toolVersion);
  const serverMajor = Math.floor(serverVersionNum / 10000);
  if (Number.isNaN(clientMajor)) return dataError('SG_DATA_TOOL_FAILED', `cannot read pg_dump's version from "${toolVersion}"`, 'check which pg_dump is first on PATH');
  if (clientMajor >= serverMajor) return undefined;
  return dataError('SG_DATA_PG_DUMP_TOO_OLD', `pg_dump is major version ${clientMajor} (${toolVersion}) but the server is ${serverMajor} (${serverVersion}); an older pg_dump cannot dump a newer server`, `install the PostgreSQL ${serverMajor} client tools (postgresql-client-${serverMajor}) and put them first on PATH`);
}
