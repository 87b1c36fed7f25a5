import type pg from 'pg';
import { quoteIdent } from './pg-connection.js';

/**
 * What belongs to a Postgres database itself rather than to anything in it: who may connect,
 * create schemas or temporary tables (`GRANT … ON DATABASE`), and its settings (`ALTER DATABASE
 * … SET`, `ALTER ROLE … IN DATABASE … SET`). A restore into a new database beside the live one
 * does not get them from `pg_restore` (they come only with `--create`, which would make a
 * database under the live name), so they are copied from the live database before the swap:
 * the app's role keeps its CONNECT, and its search_path or statement_timeout stay what they are.
 */
export interface DatabaseAccess {
  /** The grants, or null when the database has the default ones (owner all, PUBLIC connect + temporary). */
  readonly grants: ReadonlyArray<{ readonly grantee: string | null; readonly privilege: string; readonly grantable: boolean }> | null;
  /** `role` null: for everyone (`ALTER DATABASE … SET`); else `ALTER ROLE role IN DATABASE … SET`. */
  readonly settings: ReadonlyArray<{ readonly role: string | null; readonly name: string; readonly value: string }>;
}

/**
 * Settings whose values are lists of names, stored already quoted; every other value is a string
 * literal. The same list pg_dump keeps (variable_is_guc_list_quote), as no catalog says which.
 */
const LIST_SETTINGS = new Set(['local_preload_libraries', 'search_path', 'session_preload_libraries', 'shared_preload_libraries', 'temp_tablespaces', 'unix_socket_directories']);

export async function readDatabaseAccess(c: pg.Client, db: string): Promise<DatabaseAccess> {
  const acl = await c.query<{ has: boolean }>('select datacl is not null as has from pg_database where datname = $1', [db]);
  const grants = acl.rows[0]?.has
    ? (
        await c.query<{ grantee: string | null; privilege: string; grantable: boolean }>(
          `select r.rolname as grantee, a.privilege_type as privilege, a.is_grantable as grantable
             from pg_database d cross join lateral aclexplode(d.datacl) a left join pg_roles r on r.oid = a.grantee
            where d.datname = $1 order by 1, 2`,
          [db],
        )
      ).rows
    : null;
  const rows = await c.query<{ role: string | null; config: string[] }>(
    `select r.rolname as role, s.setconfig as config
       from pg_db_role_setting s join pg_database d on d.oid = s.setdatabase left join pg_roles r on r.oid = s.setrole
      where d.datname = $1 order by 1`,
    [db],
  );
  const settings = rows.rows.flatMap((r) =>
    r.config.map((entry) => {
      const eq = entry.indexOf('=');
      return { role: r.role, name: entry.slice(0, eq), value: entry.slice(eq + 1) };
    }),
  );
  return { grants, settings };
}

/** Gives database `db` (a fresh one, with default grants and no settings) exactly `access`. */
export async function applyDatabaseAccess(c: pg.Client, db: string, access: DatabaseAccess): Promise<void> {
  const target = quoteIdent(db);
  if (access.grants) {
    // Explicit grants replace the defaults, the owner's own included (they are in the list).
    const owner = (await c.query<{ o: string }>('select pg_get_userbyid(datdba) as o from pg_database where datname = $1', [db])).rows[0]!.o;
    await c.query(`revoke all on database ${target} from public, ${quoteIdent(owner)}`);
    for (const g of access.grants) {
      await c.query(`grant ${g.privilege} on database ${target} to ${g.grantee === null ? 'public' : quoteIdent(g.grantee)}${g.grantable ? ' with grant option' : ''}`);
    }
  }
  for (const s of access.settings) {
    const value = LIST_SETTINGS.has(s.name) ? listItems(s.value).map((v) => c.escapeLiteral(v)).join(', ') || "''" : c.escapeLiteral(s.value);
    const who = s.role === null ? `database ${target}` : `role ${quoteIdent(s.role)} in database ${target}`;
    await c.query(`alter ${who} set ${quoteIdent(s.name)} = ${value}`);
  }
}

/**
 * The items of a list setting as stored (`"$user", public`, `""`): comma-separated, each bare or
 * in double quotes with `""` for a quote. Written by hand after pg_dump's SplitGUCList, whose
 * output (each item as a string literal) is what ALTER … SET accepts for every such value; no
 * library parses these.
 */
function listItems(value: string): string[] {
  const items: string[] = [];
  let i = 0;
  const space = () => {
    while (i < value.length && /\s/.test(value[i]!)) i++;
  };
  space();
  if (i === value.length) return items;
  for (;;) {
    let item = '';
    if (value[i] === '"') {
      for (i++; i < value.length; i++) {
        if (value[i] !== '"') item += value[i];
        else if (value[i + 1] === '"') item += value[i++];
        else break;
      }
      i++; // the closing quote
    } else {
      while (i < value.length && value[i] !== ',' && !/\s/.test(value[i]!)) item += value[i++];
    }
    items.push(item);
    space();
    if (value[i] !== ',') return items;
    i++;
    space();
  }
}
