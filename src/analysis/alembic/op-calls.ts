import type { Node } from 'web-tree-sitter';
import { normalizeName, type ConstraintKind, type Op } from '../ops.js';
import { callArgs, isBoundedPyType, pyConstant, pyTypeText, stringValue, type CallArgs } from './python-values.js';

/** Alembic `op` functions that change nothing by themselves. */
const NOOP_OPS = new Set(['get_bind', 'get_context', 'f', 'inline_literal', 'implementation_for', 'invoke', 'run_async']);

/**
 * Operations of one `op.NAME(...)` call (or `batch_op.NAME(...)`, whose table is `batchTable`).
 * Returns null for helper calls that are not operations (`op.get_bind()` …).
 */
export function opsFromOpCall(name: string, call: Node, batchTable: string | null): Op[] | null {
  if (NOOP_OPS.has(name)) return null;
  const a = callArgs(call);
  // batch_op.* calls omit the table argument; shift positions so both read the same.
  const pos = (i: number): Node | undefined => (batchTable === null ? a.positional[i] : i === 0 ? undefined : a.positional[i - 1]);
  const str = (n: Node | undefined, fallback = '?'): string => stringValue(n) ?? n?.text ?? fallback;
  const table = (i: number, kw = 'table_name'): string => batchTable ?? str(pos(i) ?? a.keyword.get(kw));
  switch (name) {
    case 'add_column':
      return [columnOp(table(0), pos(1) ?? a.keyword.get('column'))];
    case 'drop_column':
      return [{ op: 'drop-column', table: table(0), column: str(pos(1) ?? a.keyword.get('column_name')) }];
    case 'alter_column':
      return alterColumnOps(table(0), str(pos(1) ?? a.keyword.get('column_name')), a);
    case 'create_table':
      return [{ op: 'create-table', table: str(a.positional[0] ?? a.keyword.get('table_name')) }];
    case 'drop_table':
      return [{ op: 'drop-table', table: str(a.positional[0] ?? a.keyword.get('table_name')) }];
    case 'rename_table':
      return [{ op: 'rename-table', table: str(a.positional[0] ?? a.keyword.get('old_table_name')), to: str(a.positional[1] ?? a.keyword.get('new_table_name')) }];
    case 'create_index': {
      // op.create_index(name, table, cols, unique=) ; batch_op.create_index(name, cols, unique=)
      const idx = str(a.positional[0] ?? a.keyword.get('index_name'));
      const tbl = batchTable ?? str(a.positional[1] ?? a.keyword.get('table_name'));
      return [{ op: 'create-index', table: tbl, name: idx, unique: pyConstant(a.keyword.get('unique')) === true, concurrently: pyConstant(a.keyword.get('postgresql_concurrently')) === true }];
    }
    case 'drop_index':
      return [{ op: 'drop-index', name: str(a.positional[0] ?? a.keyword.get('index_name')), concurrently: pyConstant(a.keyword.get('postgresql_concurrently')) === true }];
    case 'create_unique_constraint':
    case 'create_primary_key':
    case 'create_foreign_key':
    case 'create_check_constraint': {
      const kind: ConstraintKind = name === 'create_unique_constraint' ? 'unique' : name === 'create_primary_key' ? 'primary' : name === 'create_foreign_key' ? 'foreign' : 'check';
      const tbl = batchTable ?? str(a.positional[1] ?? a.keyword.get(kind === 'foreign' ? 'source_table' : 'table_name'));
      return [{ op: 'add-constraint', table: tbl, name: str(a.positional[0] ?? a.keyword.get('constraint_name')), kind, notValid: false }];
    }
    case 'drop_constraint': {
      const cname = str(a.positional[0] ?? a.keyword.get('constraint_name'));
      const tbl = batchTable ?? str(a.positional[1] ?? a.keyword.get('table_name'));
      const t = stringValue(a.keyword.get('type_')) ?? '';
      const kind: ConstraintKind = t === 'unique' ? 'unique' : t === 'primary' ? 'primary' : t === 'foreignkey' ? 'foreign' : t === 'check' ? 'check' : 'other';
      return [{ op: 'drop-constraint', table: tbl, name: cname, kind }];
    }
    case 'bulk_insert':
      return [{ op: 'dml', verb: 'insert', table: a.positional[0]?.text ?? '?' }];
    case 'create_table_comment':
    case 'drop_table_comment':
    case 'create_exclude_constraint':
    case 'create_sequence':
      return [{ op: 'create-other', what: name }];
    default:
      return [{ op: 'opaque', rule: 'unknown-operation', reason: `op.${name}() is not modelled` }];
  }
}

/** `sa.Column("name", Type, nullable=False, server_default=…, primary_key=…, unique=…)`. */
function columnOp(table: string, col: Node | undefined): Op {
  if (!col || col.type !== 'call') return { op: 'opaque', reason: `add_column to ${table}: the column is not a literal sa.Column(...)` };
  const c = callArgs(col);
  const name = stringValue(c.positional[0]) ?? '?';
  const pk = pyConstant(c.keyword.get('primary_key')) === true;
  const nullable = pyConstant(c.keyword.get('nullable'));
  const sd = c.keyword.get('server_default');
  return {
    op: 'add-column', table, column: name,
    notNull: nullable === false || pk,
    hasDefault: sd !== undefined && pyConstant(sd) !== null,
    ...(sd && /gen_random_uuid|random\(|uuid_generate|clock_timestamp/.test(sd.text) ? { volatileDefault: /gen_random_uuid|random|uuid_generate_v4|clock_timestamp/.exec(sd.text)![0] } : {}),
    primaryKey: pk, unique: pyConstant(c.keyword.get('unique')) === true,
  };
}

function alterColumnOps(table: string, column: string, a: CallArgs): Op[] {
  const ops: Op[] = [];
  const newName = stringValue(a.keyword.get('new_column_name'));
  if (newName && normalizeName(newName) !== normalizeName(column)) ops.push({ op: 'rename-column', table, column, to: newName });
  const type = a.keyword.get('type_');
  if (type) {
    const t = pyTypeText(type);
    ops.push({ op: 'alter-type', table, column, type: t, narrowing: isBoundedPyType(t) });
  }
  const nullable = pyConstant(a.keyword.get('nullable'));
  if (nullable === false) ops.push({ op: 'set-not-null', table, column });
  if (nullable === true) ops.push({ op: 'drop-not-null', table, column });
  if (a.keyword.has('server_default')) {
    ops.push(pyConstant(a.keyword.get('server_default')) === null ? { op: 'drop-default', table, column } : { op: 'set-default', table, column });
  }
  if (ops.length === 0) ops.push({ op: 'create-other', what: 'alter_column (comment or existing_* only)' });
  return ops;
}
