import type mysql from 'mysql2/promise';
import { dataError } from './errors.js';

/**
 * Views, stored procedures, functions and events: the parts of a MySQL/MariaDB database that
 * RENAME TABLE cannot move between databases. The restore swaps base tables (atomically) and
 * then makes these the backup's, so the live database does not keep definitions newer than its
 * tables (a view naming a column the restored table lacks).
 */
export interface SchemaObject {
  readonly kind: 'view' | 'procedure' | 'function' | 'event';
  readonly name: string;
  /** The CREATE statement as the server shows it (`SHOW CREATE …`), name unqualified. */
  readonly create: string;
  /** The sql_mode it was created under (routines and events keep theirs); views: undefined. */
  readonly sqlMode?: string;
  /** An event's time zone. */
  readonly timeZone?: string;
}

/** A routine-level grant (mysql.procs_priv): dropping a routine drops these with it. */
interface RoutineGrant {
  readonly user: string;
  readonly host: string;
  readonly routine: string;
  readonly type: 'procedure' | 'function';
  /** e.g. `Execute,Alter Routine,Grant`. */
  readonly privileges: string;
}

/** What makes a database's objects another's: which to drop, which to create, and the grants to keep. */
export interface ObjectSwap {
  readonly drop: readonly SchemaObject[];
  readonly create: readonly SchemaObject[];
  /** Grants on the routines being replaced, given again once they are recreated. */
  readonly grants: readonly RoutineGrant[];
}

type Rows = Array<Record<string, unknown>>;

async function rows(c: mysql.Connection, sql: string, params: unknown[] = []): Promise<Rows> {
  return ((await c.query(sql, params)) as unknown as [Rows])[0];
}

const q = (s: string): string => `\`${s.replace(/`/g, '``')}\``;
/** Routine names are case-insensitive (and a GRANT keeps the case it was typed in); view and event names are not. */
const key = (o: { kind: string; name: string }): string => `${o.kind}:${o.kind === 'procedure' || o.kind === 'function' ? o.name.toLowerCase() : o.name}`;

/**
 * The views, routines and events of database `db`, each with the statement that recreates it.
 * `what` names the database in errors (the live one, or "the backup" for the restored copy).
 *
 * @throws SG_DATA_MYSQL_OBJECTS for a definition this user cannot read, or a MariaDB package
 */
export async function readSchemaObjects(c: mysql.Connection, db: string, what = `MySQL database ${db}`): Promise<SchemaObject[]> {
  // With ANSI_QUOTES in the session's sql_mode, SHOW CREATE quotes names with "…", and the
  // statements below are compared and rewritten as written with backquotes.
  await c.query("set session sql_mode = (select trim(both ',' from replace(concat(',', @@session.sql_mode, ','), ',ANSI_QUOTES,', ',')))");
  const out: SchemaObject[] = [];
  const unreadable = (kind: string, name: string) =>
    dataError('SG_DATA_MYSQL_OBJECTS', `${what}: this user cannot read the definition of ${kind} ${name}, so the restore could not tell whether it changed; nothing was touched`, 'restore as its definer or a user who may read mysql.proc (SHOW CREATE shows its body then), then run the restore again');
  for (const r of await rows(c, 'select table_name as n from information_schema.views where table_schema = ? order by table_name', [db])) {
    const [s] = await rows(c, `show create view ${q(db)}.${q(String(r.n))}`);
    if (typeof s?.['Create View'] !== 'string') throw unreadable('view', String(r.n));
    out.push({ kind: 'view', name: String(r.n), create: s['Create View'] });
  }
  const routines = await rows(c, 'select routine_name as n, routine_type as t from information_schema.routines where routine_schema = ? order by routine_name', [db]);
  const packages = routines.filter((r) => !['PROCEDURE', 'FUNCTION'].includes(String(r.t).toUpperCase()));
  if (packages.length) {
    throw dataError(
      'SG_DATA_MYSQL_OBJECTS',
      `${what} has ${packages.map((r) => `${String(r.t).toLowerCase()} ${String(r.n)}`).join(', ')}, which the restore cannot recreate (MariaDB packages); nothing was touched`,
      'restore this database by hand, or move the packages out of it',
    );
  }
  for (const r of routines) {
    const kind = String(r.t).toUpperCase() === 'FUNCTION' ? 'function' : 'procedure';
    const [s] = await rows(c, `show create ${kind} ${q(db)}.${q(String(r.n))}`);
    const create = s?.[kind === 'function' ? 'Create Function' : 'Create Procedure'];
    if (typeof create !== 'string') throw unreadable(kind, String(r.n));
    out.push({ kind, name: String(r.n), create, sqlMode: String(s!.sql_mode ?? '') });
  }
  for (const r of await rows(c, 'select event_name as n from information_schema.events where event_schema = ? order by event_name', [db])) {
    const [s] = await rows(c, `show create event ${q(db)}.${q(String(r.n))}`);
    if (typeof s?.['Create Event'] !== 'string') throw unreadable('event', String(r.n));
    out.push({ kind: 'event', name: String(r.n), create: s['Create Event'], sqlMode: String(s.sql_mode ?? ''), timeZone: String(s.time_zone ?? 'SYSTEM') });
  }
  return out;
}

/**
 * How to give database `live` the objects of database `from` (the restored copy): only those
 * that differ are dropped and created, so an unchanged routine keeps its grants and an unchanged
 * view is not touched. MySQL shows a view's tables qualified with their database (MariaDB leaves
 * its own out); references to `from` are compared and created as references to `live`.
 *
 * @throws SG_DATA_MYSQL_OBJECTS when routines must be replaced and their grants cannot be read
 *   (dropping a routine drops its grants), before anything is changed
 */
export async function planObjectSwap(c: mysql.Connection, live: string, from: string): Promise<ObjectSwap> {
  const wanted = (await readSchemaObjects(c, from, `the backup of MySQL database ${live}`)).map((o) => (o.kind === 'view' ? { ...o, create: o.create.split(`${q(from)}.`).join(`${q(live)}.`) } : o));
  const current = await readSchemaObjects(c, live);
  const same = (a: SchemaObject | undefined, b: SchemaObject) => a !== undefined && a.create === b.create && a.sqlMode === b.sqlMode && a.timeZone === b.timeZone;
  const have = new Map(current.map((o) => [key(o), o]));
  const want = new Map(wanted.map((o) => [key(o), o]));
  const drop = current.filter((o) => !same(want.get(key(o)), o));
  const create = wanted.filter((o) => !same(have.get(key(o)), o));
  const grants = await routineGrants(c, live, drop);
  await probeGrants(c, live, grants);
  return { drop, create, grants };
}

/**
 * Gives each grant again as it is, which changes nothing when this user may give it, and fails
 * when it may not (no GRANT OPTION): found before the swap, not after the routine and its grant
 * are gone.
 */
async function probeGrants(c: mysql.Connection, db: string, grants: readonly RoutineGrant[]): Promise<void> {
  for (const g of grants) {
    try {
      await grantAgain(c, db, g);
    } catch (e) {
      throw dataError(
        'SG_DATA_MYSQL_OBJECTS',
        `MySQL database ${db}: the backup's ${g.type} ${g.routine} differs from the live one, and replacing it drops the grant ${g.privileges} to ${g.host === '' ? g.user : `${g.user}@${g.host}`}, which this user may not give back (${(e as Error).message}); nothing was touched`,
        'restore as a user with GRANT OPTION on this database (or as an administrator), then run the restore again',
      );
    }
  }
}

/** GRANT as recorded in mysql.procs_priv; a MariaDB role has the empty host and is named alone. */
async function grantAgain(c: mysql.Connection, db: string, g: RoutineGrant): Promise<void> {
  const list = g.privileges.split(',').map((p) => p.trim());
  const privileges = list.filter((p) => p.toLowerCase() !== 'grant');
  if (!privileges.length) return;
  const clause = list.length > privileges.length ? ' with grant option' : '';
  const to = g.host === '' ? '?' : '?@?';
  await c.query(`grant ${privileges.join(', ')} on ${g.type} ${q(db)}.${q(g.routine)} to ${to}${clause}`, g.host === '' ? [g.user] : [g.user, g.host]);
}

/** The swap that puts back what `swap` replaced (to undo it). */
export function reverseSwap(swap: ObjectSwap): ObjectSwap {
  return { drop: swap.create, create: swap.drop, grants: swap.grants };
}

/**
 * Applies `swap` to database `live`: drops, then creates routines, events and views (a view can
 * call a function, and use another view: views are created in passes until none is left or a
 * pass makes no progress, which throws its first error), then gives the dropped routines' grants
 * back and takes away the ones the server gave this user for creating them.
 */
export async function applyObjectSwap(c: mysql.Connection, live: string, swap: ObjectSwap): Promise<void> {
  if (!swap.drop.length && !swap.create.length) return;
  await c.query(`use ${q(live)}`);
  // What is to be created is dropped too: after a failure part-way, an undo finds some of the
  // objects it puts back still there.
  for (const o of [...swap.drop, ...swap.create]) await c.query(`drop ${o.kind} if exists ${q(live)}.${q(o.name)}`);
  const [mode] = await rows(c, 'select @@session.sql_mode as m, @@session.time_zone as z');
  try {
    for (const o of swap.create.filter((w) => w.kind !== 'view')) {
      await c.query('set session sql_mode = ?', [o.sqlMode ?? '']);
      await c.query('set session time_zone = ?', [o.timeZone ?? mode!.z]);
      await c.query(o.create);
    }
  } finally {
    await c.query('set session sql_mode = ?, session time_zone = ?', [mode!.m, mode!.z]);
  }
  let views = swap.create.filter((o) => o.kind === 'view');
  while (views.length) {
    const failed: Array<{ view: SchemaObject; error: unknown }> = [];
    for (const view of views) {
      try {
        await c.query(view.create);
      } catch (error) {
        failed.push({ view, error });
      }
    }
    if (failed.length === views.length) throw failed[0]!.error;
    views = failed.map((f) => f.view);
  }
  await restoreRoutineGrants(c, live, swap);
}

/** Grants on these routines of `db`; [] when there are none to read. */
async function routineGrants(c: mysql.Connection, db: string, routines: readonly SchemaObject[]): Promise<RoutineGrant[]> {
  const names = routines.filter((o) => o.kind === 'procedure' || o.kind === 'function');
  if (!names.length) return [];
  let found: Rows;
  try {
    found = await rows(c, 'select user as u, host as h, routine_name as n, routine_type as t, proc_priv as p from mysql.procs_priv where db = ?', [db]);
  } catch (e) {
    throw dataError(
      'SG_DATA_MYSQL_OBJECTS',
      `MySQL database ${db}: the backup's ${names.map((o) => `${o.kind} ${o.name}`).join(', ')} differ from the live ones, and replacing a routine drops its grants, which this user cannot read to give back (${(e as Error).message}); nothing was touched`,
      'restore as a user who may read mysql.procs_priv (GRANT SELECT ON mysql.procs_priv), then run the restore again',
    );
  }
  const wanted = new Set(names.map((o) => key(o)));
  return found
    .map((r) => ({ user: String(r.u), host: String(r.h), routine: String(r.n), type: String(r.t).toLowerCase() as RoutineGrant['type'], privileges: String(r.p) }))
    .filter((g) => wanted.has(key({ kind: g.type, name: g.routine })) && g.privileges !== '');
}

/**
 * Gives the replaced routines their grants back and revokes what the server granted this user
 * for creating them (automatic_sp_privileges), unless this user had it before.
 */
async function restoreRoutineGrants(c: mysql.Connection, db: string, swap: ObjectSwap): Promise<void> {
  const created = swap.create.filter((o) => o.kind === 'procedure' || o.kind === 'function');
  if (!created.length) return;
  const [me] = await rows(c, 'select current_user() as u');
  const at = String(me!.u).lastIndexOf('@');
  const user = String(me!.u).slice(0, at);
  const host = String(me!.u).slice(at + 1);
  const had = new Set(swap.grants.filter((g) => g.user === user && g.host === host).map((g) => key({ kind: g.type, name: g.routine })));
  for (const o of created) {
    if (had.has(key(o))) continue;
    // Best effort: this user keeping EXECUTE on a routine it recreated harms nothing, and failing
    // the restore over it would.
    try {
      const [auto] = await rows(c, 'select proc_priv as p from mysql.procs_priv where db = ? and user = ? and host = ? and lower(routine_name) = lower(?) and routine_type = ?', [db, user, host, o.name, o.kind.toUpperCase()]);
      if (auto && String(auto.p)) await c.query(`revoke ${privilegeList(String(auto.p))} on ${o.kind} ${q(db)}.${q(o.name)} from ?@?`, [user, host]);
    } catch {
      /* kept */
    }
  }
  const recreated = new Set(created.map((o) => key(o)));
  for (const g of swap.grants) {
    if (recreated.has(key({ kind: g.type, name: g.routine }))) await grantAgain(c, db, g);
  }
}

/** `Execute,Alter Routine,Grant` as a REVOKE list: `Execute, Alter Routine, grant option`. */
function privilegeList(procPriv: string): string {
  return procPriv
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => (p.toLowerCase() === 'grant' ? 'grant option' : p))
    .join(', ');
}
