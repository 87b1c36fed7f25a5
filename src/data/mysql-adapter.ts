import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { canonicalJson, sha256Hex } from '../core/canonical-json.js';
import { stampOf, type DataContext } from './data-context.js';
import type { DatabaseAdapter, ScratchDatabase } from './database-adapter.js';
import { dataError } from './errors.js';
import { applyObjectSwap, planObjectSwap, readSchemaObjects, reverseSwap, type ObjectSwap } from './mysql-schema-objects.js';
import { redactUrl } from './pg-connection.js';
import { compareRowCounts } from './row-counts.js';
import { lastLines, runTool, runToolOk } from './run-tool.js';
import { scratchName } from './scratch-name.js';
import { timed } from './timed.js';
import type { RowCounts } from './types.js';

/** File name of the SQL dump inside the backup's `data/db/`. */
export const MYSQL_DUMP_FILE = 'dump.sql';

interface MyTarget {
  readonly url: string;
  readonly database: string;
  readonly args: string[];
  readonly toolEnv: Readonly<Record<string, string | undefined>>;
  withDatabase(name: string): MyTarget;
}

function myTarget(url: string | undefined, env: Readonly<Record<string, string | undefined>>): MyTarget {
  if (!url) throw dataError('SG_DATA_NO_DB_URL', 'data.database.url is not set for kind mysql', 'add url: ${{ env.DATABASE_URL }} under data.database');
  const u = new URL(url);
  // `?password=` is where some URLs carry it (as libpq reads it). mysql2 reads the password only
  // from the userinfo and the client tools only from MYSQL_PWD, so it moves to the userinfo here
  // (the URL stays in memory; messages show it through redactUrl) and on to MYSQL_PWD below.
  const queryPassword = u.searchParams.get('password');
  if (queryPassword !== null) {
    if (!u.password) u.password = encodeURIComponent(queryPassword);
    u.searchParams.delete('password');
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  const password = decodeURIComponent(u.password);
  return {
    url: u.href,
    database,
    // The password travels in MYSQL_PWD, never in argv (visible to `ps`).
    args: ['--protocol=TCP', '-h', u.hostname || '127.0.0.1', '-P', u.port || '3306', '-u', decodeURIComponent(u.username) || 'root'],
    toolEnv: password ? { ...env, MYSQL_PWD: password } : env,
    withDatabase(name) {
      const n = new URL(u.href);
      n.pathname = `/${name}`;
      return myTarget(n.href, env);
    },
  };
}

const q = (s: string): string => `\`${s.replace(/`/g, '``')}\``;

async function connect(t: MyTarget, withDb = true): Promise<mysql.Connection> {
  try {
    const u = new URL(t.url);
    if (!withDb) u.pathname = '/';
    return await mysql.createConnection({ uri: u.href, connectTimeout: 5000, multipleStatements: false });
  } catch (e) {
    const errno = (e as { errno?: number }).errno;
    if (errno === 1049) throw dataError('SG_DATA_DB_MISSING', `MySQL database ${t.database} does not exist (${redactUrl(t.url)})`, 'check data.database.url, or create the database');
    throw dataError('SG_DATA_DB_UNREACHABLE', `cannot connect to MySQL at ${redactUrl(t.url)}: ${(e as Error).message}`, 'check that the server is up and data.database.url is right');
  }
}

/** `mariadb-dump`/`mariadb` when present (MariaDB renamed them), else `mysqldump`/`mysql`. */
async function tools(ctx: DataContext): Promise<{ dump: string; client: string; version: string }> {
  for (const [dump, client] of [['mariadb-dump', 'mariadb'], ['mysqldump', 'mysql']] as const) {
    const r = await runTool(dump, ['--version'], { env: ctx.env, signal: ctx.signal }).catch(() => undefined);
    if (r && r.exitCode === 0) return { dump, client, version: r.stdout.trim() };
  }
  throw dataError('SG_DATA_TOOL_MISSING', `neither mariadb-dump nor mysqldump was found on PATH (${ctx.env.PATH ?? '(PATH unset)'})`, 'install the client tools (apt-get install mariadb-client) or put mysqldump on PATH');
}

/**
 * MySQL/MariaDB through `mysqldump --single-transaction` (or mariadb-dump) and the mysql client
 * into a scratch database. Row counts are exact COUNT(*) in a snapshot equal to the dump's (see
 * dump); without the RELOAD privilege they are taken right before the dump, and a write in
 * between fails verification on row-counts — a false alarm, never a false pass.
 */
export const mysqlAdapter: DatabaseAdapter = {
  kind: 'mysql',

  async dump(dumpDir, ctx) {
    const t = myTarget(ctx.databaseUrl ?? ctx.config.database?.url, ctx.env);
    const tool = await tools(ctx);
    const out = join(dumpDir, MYSQL_DUMP_FILE);
    const c = await connect(t);
    try {
      const serverVersion = String(((await c.query('select version() as v')) as unknown as [Array<{ v: string }>])[0][0]!.v);
      // Same snapshot for counts and dump: under a brief global read lock, open our snapshot,
      // start the dump and wait until its snapshot exists, then unlock and count in ours.
      // Without the RELOAD privilege, fall back to counting right before the dump.
      const locked = await c.query('flush tables with read lock').then(() => true, () => false);
      await c.query('set session transaction isolation level repeatable read');
      await c.query('start transaction with consistent snapshot');
      const before = locked ? await threadIds(c) : new Set<number>();
      const dump = runTool(tool.dump, [...t.args, '--single-transaction', '--routines', '--triggers', '--events', '--hex-blob', '--default-character-set=utf8mb4', t.database], { env: t.toolEnv, signal: ctx.signal, stdoutFile: out });
      let dumpEnded = false;
      void dump.finally(() => (dumpEnded = true)).catch(() => {});
      if (locked) {
        try {
          await waitForOtherSnapshot(c, before, () => dumpEnded);
        } finally {
          await c.query('unlock tables');
        }
      }
      const rowCounts = await countRows(c, t.database);
      await c.query('commit');
      const r = await dump;
      if (r.exitCode !== 0) throw dataError('SG_DATA_TOOL_FAILED', `${tool.dump} of ${t.database} failed (exit ${r.exitCode}): ${lastLines(r.stderr)}`, `run ${tool.dump} by hand to see the whole output`);
      const countMethod = locked
        ? 'exact COUNT(*) per base table in a consistent snapshot opened together with the dump\'s, under a brief FLUSH TABLES WITH READ LOCK'
        : 'exact COUNT(*) per base table in a consistent snapshot right before the dump (no RELOAD privilege for the read lock: a write in between fails verification)';
      return { kind: 'mysql', tool: `${tool.dump} --single-transaction`, toolVersion: tool.version, serverVersion, rowCounts, countMethod };
    } finally {
      await c.end().catch(() => {});
    }
  },

  async restoreToScratch(dumpDir, _info, _scratchDir, ctx) {
    const live = myTarget(ctx.databaseUrl ?? ctx.config.database?.url, ctx.env);
    return restoreInto(live, scratchName(stampOf(ctx.clock()), live.database), dumpDir, ctx);
  },

  async checkRestored(scratch, info, ctx) {
    const t = myTarget(scratch.env.DATABASE_URL, ctx.env);
    const c = await connect(t);
    try {
      const counted = await timed(() => countRows(c, t.database));
      return [compareRowCounts(info.rowCounts, counted.value, counted.ms)];
    } finally {
      await c.end().catch(() => {});
    }
  },

  async describeSchema(scratch, ctx) {
    const t = myTarget(scratch.env.DATABASE_URL, ctx.env);
    const c = await connect(t);
    try {
      const [cols] = (await c.query('select table_name, column_name, column_type, is_nullable, column_default, column_key from information_schema.columns where table_schema = ? order by table_name, ordinal_position', [t.database])) as unknown as [Array<Record<string, unknown>>];
      const tables = [...new Set(cols.map((r) => String(r.table_name ?? r.TABLE_NAME)))];
      return { digest: sha256Hex(canonicalJson(cols)), tables };
    } finally {
      await c.end().catch(() => {});
    }
  },

  async fingerprintLive(ctx) {
    const url = ctx.databaseUrl ?? ctx.config.database?.url;
    const live = myTarget(url, ctx.env);
    const schema = await this.describeSchema({ location: live.database, env: { DATABASE_URL: live.url }, drop: async () => {} }, ctx);
    // Schema only, as for Postgres: a live server's content changes with the app's own writes.
    return { location: `${live.database} (${redactUrl(live.url)})`, schema: schema.digest, content: null };
  },

  async checkRestoreTarget(ctx, _info, dumpDir) {
    const t = myTarget(ctx.databaseUrl ?? ctx.config.database?.url, ctx.env);
    // The safety backup needs the dump tool, the restore its client.
    const { client } = await tools(ctx);
    await runToolOk(client, ['--version'], { env: ctx.env, signal: ctx.signal }, `${client} --version`);
    // And the server, reached as the restore will (credentials, database): one connection, reads only.
    const c = await connect(t);
    try {
      const [rows] = (await c.query('select count(*) as n from information_schema.triggers where trigger_schema = ?', [t.database])) as unknown as [Array<{ n: number }>];
      const n = Number(rows[0]!.n);
      if (n > 0) throw triggersRefused(t.database, `the live database has ${n} trigger(s)`);
      // Its views, routines and events must be readable to be replaced (MariaDB packages are refused).
      await readSchemaObjects(c, t.database);
    } finally {
      await c.end().catch(() => {});
    }
    if (await dumpHas(join(dumpDir, MYSQL_DUMP_FILE), DUMPED_TRIGGER)) throw triggersRefused(t.database, 'the backup holds triggers');
    if (await dumpHas(join(dumpDir, MYSQL_DUMP_FILE), DUMPED_PACKAGE)) {
      throw dataError('SG_DATA_MYSQL_OBJECTS', `the backup of MySQL database ${t.database} holds MariaDB packages, which the restore cannot recreate; nothing was touched`, 'restore this database by hand, or take the packages out of the schema and back it up again');
    }
  },

  async preflightRestore(ctx) {
    const t = myTarget(ctx.databaseUrl ?? ctx.config.database?.url, ctx.env);
    const c = await connect(t);
    try {
      await refuseIfInUse(c, t.database);
    } finally {
      await c.end().catch(() => {});
    }
  },

  async prepareRestore(dumpDir, _info, ctx) {
    const live = myTarget(ctx.databaseUrl ?? ctx.config.database?.url, ctx.env);
    const stamp = stampOf(ctx.clock()).toLowerCase();
    const fresh = await restoreInto(live, `${live.database.slice(0, 30)}_sg_restore_${stamp}`, dumpDir, ctx);
    const old = `${live.database.slice(0, 30)}_sg_old_${stamp}`;
    return {
      swap: async () => {
        const c = await connect(live, false);
        try {
          await refuseIfInUse(c, live.database);
          const liveTables = await tablesOf(c, live.database);
          const newTables = await tablesOf(c, fresh.location);
          // Views, routines and events cannot be renamed across databases: they are replaced
          // after the tables, from the restored copy's definitions (read now, while its views
          // still find their tables there; an unreadable part refuses before anything changes).
          const objects = await planObjectSwap(c, live.database, fresh.location);
          await c.query(`create database ${q(old)}`);
          // One RENAME TABLE statement is atomic: readers see either the old or the restored tables.
          const moves = [...renames(liveTables, live.database, old), ...renames(newTables, fresh.location, live.database)];
          const undo = [...renames(newTables, live.database, fresh.location), ...renames(liveTables, old, live.database)];
          // A session the check above cannot see (this user lacks PROCESS) may hold a table lock:
          // wait a bounded time for it, not the server's default (a day on MariaDB), then give up.
          await c.query(`set session lock_wait_timeout = ${lockWaitSeconds(ctx)}`);
          try {
            if (moves.length) await c.query(`rename table ${moves.join(', ')}`);
          } catch (e) {
            await c.query(`drop database if exists ${q(old)}`).catch(() => {});
            if ((e as { code?: string }).code !== 'ER_LOCK_WAIT_TIMEOUT') throw e;
            throw dataError('SG_DATA_DB_LOCKED', `MySQL database ${live.database}: a session held a lock on its tables for ${lockWaitSeconds(ctx)} s, so the tables were not swapped; nothing was touched`, 'stop the app (and close other sessions; grant PROCESS to the restoring user so that the check can see them), then run the restore again');
          }
          try {
            await applyObjectSwap(c, live.database, objects);
          } catch (e) {
            throw await undoSwap(c, { live: live.database, old, undo, objects }, e as Error);
          }
          await c.query(`drop database ${q(old)}`);
        } finally {
          await c.end().catch(() => {});
        }
        await fresh.drop(); // emptied by the swap
      },
      discard: () => fresh.drop(),
    };
  },
};

/** `from.t to to.t` for each table, as RENAME TABLE lists them. */
function renames(tables: ReadonlyArray<{ t: string }>, from: string, to: string): string[] {
  return tables.map((r) => `${q(from)}.${q(r.t)} to ${q(to)}.${q(r.t)}`);
}

/**
 * After the backup's views, routines or events failed in the live database: puts it back as it
 * was, its tables (one atomic RENAME) and then its own objects, and returns the error to throw,
 * which says what state it is in.
 */
async function undoSwap(c: mysql.Connection, s: { live: string; old: string; undo: readonly string[]; objects: ObjectSwap }, e: Error): Promise<Error> {
  try {
    if (s.undo.length) await c.query(`rename table ${s.undo.join(', ')}`);
  } catch (u) {
    return dataError(
      'SG_DATA_RESTORE_PARTIAL',
      `MySQL database ${s.live}: the backup's views, routines or events could not be created there (${e.message}), and moving its previous tables back failed too (${(u as Error).message}): it holds the restored tables, and the previous ones are in database ${s.old}`,
      `move them back by hand (RENAME TABLE ${s.old}.t TO ${s.live}.t, …) or restore the safety backup taken before this restore`,
    );
  }
  const lost = await applyObjectSwap(c, s.live, reverseSwap(s.objects)).then(() => undefined, (x: Error) => x);
  await c.query(`drop database if exists ${q(s.old)}`);
  return dataError(
    'SG_DATA_MYSQL_OBJECTS',
    `MySQL database ${s.live}: the backup's views, routines or events could not be created there (${e.message}), so the swap was undone: its tables are as they were, ` +
      (lost ? `but its own views, routines and events could not all be recreated either (${lost.message}); their definitions are in the safety backup taken before this restore` : 'and so are its views, routines and events'),
    'grant the restoring user what those objects need in this database (CREATE VIEW, CREATE ROUTINE, EVENT; SUPER or SET USER for another DEFINER), then run the restore again',
  );
}

/** How long the swap waits for table locks: SHIPGATE_MYSQL_LOCK_WAIT_S, default 60 s. */
function lockWaitSeconds(ctx: DataContext): number {
  const v = Number(ctx.env.SHIPGATE_MYSQL_LOCK_WAIT_S ?? 60);
  return Number.isInteger(v) && v > 0 ? v : 60;
}

async function restoreInto(server: MyTarget, name: string, dumpDir: string, ctx: DataContext): Promise<ScratchDatabase> {
  const target = server.withDatabase(name);
  const admin = await connect(server, false);
  try {
    await admin.query(`create database ${q(name)} character set utf8mb4`);
  } finally {
    await admin.end().catch(() => {});
  }
  const scratch: ScratchDatabase = {
    location: name,
    env: { DATABASE_URL: target.url, SHIPGATE_REHEARSAL_DATABASE_URL: target.url },
    drop: async () => {
      const a = await connect(server, false);
      try {
        await a.query(`drop database if exists ${q(name)}`);
      } finally {
        await a.end().catch(() => {});
      }
    },
  };
  try {
    const { client } = await tools(ctx);
    const r = await runTool(client, [...target.args, name], { env: target.toolEnv, signal: ctx.signal, stdinFile: join(dumpDir, MYSQL_DUMP_FILE) });
    if (r.exitCode !== 0) throw dataError('SG_DATA_MYSQL_RESTORE_FAILED', `${client} rejected the dump ${join(dumpDir, MYSQL_DUMP_FILE)} (exit ${r.exitCode}): ${lastLines(r.stderr)}`, 'the dump is damaged: take a new backup (shipgate backup create) and verify it');
  } catch (e) {
    await scratch.drop();
    throw e;
  }
  return scratch;
}

/**
 * The swap moves tables between databases with RENAME TABLE, which MySQL and MariaDB refuse for a
 * table with a trigger ("Trigger in wrong schema"): found before anything is stopped, not after.
 */
function triggersRefused(database: string, why: string): Error {
  return dataError(
    'SG_DATA_MYSQL_TRIGGERS',
    `cannot restore MySQL database ${database}: ${why}, and the restore swaps tables with RENAME TABLE across databases, which the server refuses for tables with triggers; nothing was touched`,
    'restore this database by hand (drop its triggers, restore the dump, recreate them), or take the triggers out of the schema',
  );
}

/** A trigger in a mysqldump/mariadb-dump file: `/*!50003 CREATE*\/ … /*!50003 TRIGGER`, in any case. */
const DUMPED_TRIGGER = /\/\*!50003 CREATE\*\/\s+(?:\/\*!50017 DEFINER=[^\n]*?\*\/\s+)?\/\*!50003 trigger\s/i;
/** A MariaDB package in a mariadb-dump file: each is preceded by `/*!50003 DROP PACKAGE [BODY] IF EXISTS`. */
const DUMPED_PACKAGE = /\/\*!50003 DROP PACKAGE (?:BODY )?IF EXISTS/i;

/** Whether a dump file matches `re` (streamed: a dump can be far larger than memory). */
async function dumpHas(file: string, re: RegExp): Promise<boolean> {
  let carry = '';
  // Chunks with a little of the previous one kept, so a marker cut between two chunks is still seen.
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = carry + (chunk as string);
    if (re.test(text)) return true;
    carry = text.slice(-512);
  }
  return false;
}

async function refuseIfInUse(c: mysql.Connection, database: string): Promise<void> {
  const [rows] = (await c.query('select count(*) as n from information_schema.processlist where db = ? and id <> connection_id()', [database])) as unknown as [Array<{ n: number }>];
  const n = Number(rows[0]!.n);
  if (n > 0) throw dataError('SG_DATA_DB_LOCKED', `MySQL database ${database} has ${n} other open connection(s); nothing was touched`, 'stop the app (and close other sessions) and run the restore again');
}

async function threadIds(c: mysql.Connection): Promise<Set<number>> {
  const [rows] = (await c.query('select id from information_schema.processlist')) as unknown as [Array<{ id: number }>];
  return new Set(rows.map((r) => Number(r.id)));
}

/** Waits (up to 60 s) until a connection that did not exist before has an open InnoDB snapshot: the dump's. */
async function waitForOtherSnapshot(c: mysql.Connection, before: Set<number>, ended: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !ended()) {
    const [rows] = (await c.query('select trx_mysql_thread_id as id from information_schema.innodb_trx')) as unknown as [Array<{ id: number }>];
    if (rows.some((r) => !before.has(Number(r.id)))) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  if (!ended()) throw dataError('SG_DATA_TOOL_FAILED', 'the dump did not open its snapshot within 60 s while writes were held', 'check the server (long-running statements block the read lock) and run the backup again');
}

/**
 * Everything in `database` that holds rows and moves with RENAME TABLE: base tables, MariaDB's
 * system-versioned tables and sequences (every table type but views). Sequences are left out of
 * row counts (`counted`): one row each, which says nothing.
 */
async function tablesOf(c: mysql.Connection, database: string, counted = false): Promise<Array<{ t: string }>> {
  const types = counted ? "table_type in ('BASE TABLE', 'SYSTEM VERSIONED')" : "table_type not in ('VIEW', 'SYSTEM VIEW')";
  const [tables] = (await c.query(`select table_name as t from information_schema.tables where table_schema = ? and ${types} order by table_name`, [database])) as unknown as [Array<{ t: string }>];
  return tables;
}

/** Exact COUNT(*) of every table (information_schema.table_rows is only an estimate for InnoDB). */
async function countRows(c: mysql.Connection, database: string): Promise<RowCounts> {
  const tables = await tablesOf(c, database, true);
  const out: Record<string, number> = {};
  for (const { t } of tables) {
    const [r] = (await c.query(`select count(*) as n from ${q(database)}.${q(t)}`)) as unknown as [Array<{ n: number }>];
    out[t] = Number(r[0]!.n);
  }
  return out;
}
