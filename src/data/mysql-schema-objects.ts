import type mysql from 'mysql2/promise';

/**
 * Views, stored procedures, functions and events: the parts of a MySQL/MariaDB database that
 * RENAME TABLE cannot move between databases. The restore swaps base tables (atomically) and
 * then replaces these, so the live database ends up with the backup's definitions, not the ones
 * it had before the restore (which could name columns the restored tables do not have).
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

type Rows = Array<Record<string, unknown>>;

async function rows(c: mysql.Connection, sql: string, params: unknown[] = []): Promise<Rows> {
  return ((await c.query(sql, params)) as unknown as [Rows])[0];
}

const q = (s: string): string => `\`${s.replace(/`/g, '``')}\``;

/** The views, routines and events of database `db`, each with the statement that recreates it. */
export async function readSchemaObjects(c: mysql.Connection, db: string): Promise<SchemaObject[]> {
  const out: SchemaObject[] = [];
  for (const r of await rows(c, 'select table_name as n from information_schema.views where table_schema = ? order by table_name', [db])) {
    const [s] = await rows(c, `show create view ${q(db)}.${q(String(r.n))}`);
    out.push({ kind: 'view', name: String(r.n), create: String(s!['Create View']) });
  }
  for (const r of await rows(c, 'select routine_name as n, routine_type as t from information_schema.routines where routine_schema = ? order by routine_name', [db])) {
    const kind = String(r.t).toLowerCase() === 'function' ? 'function' : 'procedure';
    const [s] = await rows(c, `show create ${kind} ${q(db)}.${q(String(r.n))}`);
    out.push({ kind, name: String(r.n), create: String(s![kind === 'function' ? 'Create Function' : 'Create Procedure']), sqlMode: String(s!.sql_mode ?? '') });
  }
  for (const r of await rows(c, 'select event_name as n from information_schema.events where event_schema = ? order by event_name', [db])) {
    const [s] = await rows(c, `show create event ${q(db)}.${q(String(r.n))}`);
    out.push({ kind: 'event', name: String(r.n), create: String(s!['Create Event']), sqlMode: String(s!.sql_mode ?? ''), timeZone: String(s!.time_zone ?? 'SYSTEM') });
  }
  return out;
}

/**
 * Makes `live`'s views, routines and events exactly `wanted` (read from the restored copy, the
 * database `from`): drops the live ones, then creates the wanted ones in `live`. A view can use
 * another view, so views are created in passes until none is left or a pass makes no progress
 * (then the first error is thrown). MySQL shows a view's tables qualified with their database
 * (MariaDB leaves its own database out); references to `from` become references to `live`.
 */
export async function replaceSchemaObjects(c: mysql.Connection, live: string, wanted: readonly SchemaObject[], from: string): Promise<void> {
  await c.query(`use ${q(live)}`);
  for (const old of await readSchemaObjects(c, live)) {
    await c.query(`drop ${old.kind} if exists ${q(live)}.${q(old.name)}`);
  }
  const [mode] = await rows(c, 'select @@session.sql_mode as m, @@session.time_zone as z');
  try {
    let views = wanted.filter((o) => o.kind === 'view').map((o) => ({ ...o, create: o.create.split(`${q(from)}.`).join(`${q(live)}.`) }));
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
    for (const o of wanted.filter((w) => w.kind !== 'view')) {
      await c.query('set session sql_mode = ?', [o.sqlMode ?? '']);
      if (o.timeZone) await c.query('set session time_zone = ?', [o.timeZone]);
      await c.query(o.create);
    }
  } finally {
    await c.query('set session sql_mode = ?, session time_zone = ?', [mode!.m, mode!.z]);
  }
}
