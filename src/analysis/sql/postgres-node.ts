/**
 * Postgres parse-tree node → operations. The tree is libpg-query's JSON (Postgres 17 grammar);
 * it is untyped here on purpose: @pgsql/types is large, and we read a handful of fields.
 */
import { isBoundedType, type ConstraintKind, type Op } from '../ops.js';

// biome-ignore lint: the parse tree is untyped JSON
type Node = any;

const VOLATILE = new Set(['random', 'gen_random_uuid', 'uuid_generate_v4', 'uuid_generate_v1', 'clock_timestamp', 'timeofday', 'nextval', 'txid_current']);

/** Node kinds that change nothing another version could notice. */
const NOOP_KINDS = new Set(['TransactionStmt', 'VariableSetStmt', 'VariableShowStmt', 'CommentStmt', 'GrantStmt', 'GrantRoleStmt', 'SelectStmt', 'AlterOwnerStmt', 'LockStmt', 'CheckPointStmt', 'VacuumStmt', 'ExplainStmt', 'NotifyStmt', 'ListenStmt', 'DiscardStmt', 'AlterDefaultPrivilegesStmt', 'SecLabelStmt', 'ConstraintsSetStmt']);

/** Node kinds that create something new: additive. */
const CREATE_KINDS = new Set(['CreateEnumStmt', 'CreateSeqStmt', 'AlterSeqStmt', 'CreateFunctionStmt', 'CreateTrigStmt', 'ViewStmt', 'CreateExtensionStmt', 'CreateSchemaStmt', 'CompositeTypeStmt', 'CreateDomainStmt', 'CreatePolicyStmt', 'AlterPolicyStmt', 'CreateRoleStmt', 'RuleStmt', 'CreateStatsStmt', 'RefreshMatViewStmt', 'CreateCastStmt', 'AlterExtensionStmt', 'CreateEventTrigStmt', 'AlterFunctionStmt', 'AlterTableMoveAllStmt', 'ClusterStmt', 'ReindexStmt']);

/** Operations of one top-level statement node (`{ Kind: {...} }`), DO blocks excepted. */
export function opsFromPgNode(stmt: Node): { kind: string; ops: Op[] } {
  const kind = Object.keys(stmt ?? {})[0] ?? 'Empty';
  const n = stmt?.[kind] ?? {};
  if (NOOP_KINDS.has(kind)) return { kind, ops: [{ op: 'noop' }] };
  if (CREATE_KINDS.has(kind)) return { kind, ops: [{ op: 'create-other', what: kind }] };
  switch (kind) {
    case 'CreateStmt':
    case 'CreateTableAsStmt':
      return { kind, ops: [{ op: 'create-table', table: relName(n.relation ?? n.into?.rel) }] };
    case 'AlterTableStmt':
      return { kind, ops: (n.cmds ?? []).map((c: Node) => alterCmdOp(relName(n.relation), c.AlterTableCmd ?? {}, n.objtype)) };
    case 'IndexStmt':
      return { kind, ops: [{ op: 'create-index', table: relName(n.relation), name: n.idxname ?? '(unnamed)', unique: Boolean(n.unique || n.primary), concurrently: Boolean(n.concurrent) }] };
    case 'DropStmt':
      return { kind, ops: dropOps(n) };
    case 'RenameStmt':
      return { kind, ops: [renameOp(n)] };
    case 'AlterEnumStmt': {
      const name = strings(n.typeName).join('.');
      return { kind, ops: [n.oldVal ? { op: 'enum-rename-value', name, from: n.oldVal, to: n.newVal } : { op: 'enum-add-value', name, value: n.newVal }] };
    }
    case 'InsertStmt':
      return { kind, ops: [{ op: 'dml', verb: 'insert', table: relName(n.relation) }] };
    case 'UpdateStmt':
      return { kind, ops: [{ op: 'dml', verb: 'update', table: relName(n.relation) }] };
    case 'DeleteStmt':
      return { kind, ops: [{ op: 'dml', verb: 'delete', table: relName(n.relation) }] };
    case 'TruncateStmt':
      return { kind, ops: (n.relations ?? []).map((r: Node) => ({ op: 'dml', verb: 'truncate', table: relName(r.RangeVar) }) as Op) };
    default:
      return { kind, ops: [{ op: 'opaque', reason: `statement kind ${kind} is not modelled` }] };
  }
}

function alterCmdOp(table: string, c: Node, objtype: string): Op {
  const col: string = c.name ?? c.def?.ColumnDef?.colname ?? '?';
  switch (c.subtype) {
    case 'AT_AddColumn': {
      const def = c.def?.ColumnDef ?? {};
      const cons: Node[] = (def.constraints ?? []).map((x: Node) => x.Constraint ?? {});
      const has = (t: string): boolean => cons.some((k) => k.contype === t);
      const dflt = cons.find((k) => k.contype === 'CONSTR_DEFAULT');
      const identity = has('CONSTR_IDENTITY') || has('CONSTR_GENERATED');
      const serial = /serial$/i.test(typeText(def.typeName));
      const volatile = dflt ? volatileCall(dflt.raw_expr) : serial ? 'nextval' : undefined;
      return {
        op: 'add-column', table, column: def.colname ?? '?',
        notNull: has('CONSTR_NOTNULL') || has('CONSTR_PRIMARY'),
        hasDefault: Boolean(dflt) || identity || serial,
        ...(volatile ? { volatileDefault: volatile } : {}),
        primaryKey: has('CONSTR_PRIMARY'), unique: has('CONSTR_UNIQUE'),
      };
    }
    case 'AT_DropColumn':
      return { op: 'drop-column', table, column: col };
    case 'AT_AlterColumnType': {
      const type = typeText(c.def?.ColumnDef?.typeName);
      return { op: 'alter-type', table, column: col, type, narrowing: isBoundedType(type) };
    }
    case 'AT_SetNotNull':
      return { op: 'set-not-null', table, column: col };
    case 'AT_DropNotNull':
      return { op: 'drop-not-null', table, column: col };
    case 'AT_ColumnDefault':
      return c.def ? { op: 'set-default', table, column: col } : { op: 'drop-default', table, column: col };
    case 'AT_AddConstraint': {
      const k = c.def?.Constraint ?? {};
      return { op: 'add-constraint', table, name: k.conname ?? '(unnamed)', kind: constraintKind(k.contype), notValid: Boolean(k.skip_validation) };
    }
    case 'AT_DropConstraint':
      return { op: 'drop-constraint', table, name: col, kind: kindFromName(col) };
    case 'AT_AddIndexConstraint': {
      const k = c.def?.Constraint ?? {};
      return { op: 'add-constraint', table, name: k.conname ?? '(unnamed)', kind: constraintKind(k.contype), notValid: true };
    }
    case 'AT_ValidateConstraint':
    case 'AT_SetStatistics':
    case 'AT_SetStorage':
    case 'AT_ClusterOn':
    case 'AT_EnableRowSecurity':
    case 'AT_ForceRowSecurity':
    case 'AT_ChangeOwner':
    case 'AT_ReplicaIdentity':
    case 'AT_SetRelOptions':
    case 'AT_AttachPartition':
    case 'AT_EnableTrig':
    case 'AT_DisableTrig':
    case 'AT_AddIdentity':
    case 'AT_SetIdentity':
      return { op: 'create-other', what: c.subtype };
    case 'AT_DetachPartition':
      return { op: 'drop-table', table: `${table} partition` };
    default:
      return { op: 'opaque', reason: `ALTER ${objtype === 'OBJECT_TABLE' ? 'TABLE' : objtype} ${table}: ${c.subtype} is not modelled` };
  }
}

function dropOps(n: Node): Op[] {
  const names: string[] = (n.objects ?? []).map((o: Node) => (o.List ? strings(o.List.items).join('.') : o.TypeName ? strings(o.TypeName.names).join('.') : o.ObjectWithArgs ? strings(o.ObjectWithArgs.objname).join('.') : o.String?.sval ?? '?'));
  return names.map((name): Op => {
    switch (n.removeType) {
      case 'OBJECT_TABLE':
      case 'OBJECT_FOREIGN_TABLE':
        return { op: 'drop-table', table: name };
      case 'OBJECT_INDEX':
        return { op: 'drop-index', name, concurrently: Boolean(n.concurrent) };
      case 'OBJECT_TYPE':
      case 'OBJECT_DOMAIN':
        return { op: 'drop-type', name };
      default:
        return { op: 'drop-other', what: String(n.removeType ?? 'object').replace('OBJECT_', '').toLowerCase(), name };
    }
  });
}

function renameOp(n: Node): Op {
  const table = relName(n.relation);
  switch (n.renameType) {
    case 'OBJECT_TABLE':
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW':
      return { op: 'rename-table', table, to: n.newname };
    case 'OBJECT_COLUMN':
      return { op: 'rename-column', table, column: n.subname, to: n.newname };
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN':
      return { op: 'rename-type', name: n.object?.List ? strings(n.object.List.items).join('.') : '?', to: n.newname };
    default:
      // Renaming an index, constraint, sequence or trigger does not change what queries see.
      return { op: 'create-other', what: `rename ${String(n.renameType).replace('OBJECT_', '').toLowerCase()}` };
  }
}

function constraintKind(contype: string | undefined): ConstraintKind {
  switch (contype) {
    case 'CONSTR_PRIMARY':
      return 'primary';
    case 'CONSTR_UNIQUE':
      return 'unique';
    case 'CONSTR_FOREIGN':
      return 'foreign';
    case 'CONSTR_CHECK':
      return 'check';
    default:
      return 'other';
  }
}

/** Postgres's default constraint names end in _pkey, _key, _fkey (also Prisma's). */
export function kindFromName(name: string): ConstraintKind {
  if (/_pkey$/i.test(name)) return 'primary';
  if (/_fkey$/i.test(name)) return 'foreign';
  if (/_key$/i.test(name)) return 'unique';
  return 'other';
}

function relName(r: Node): string {
  if (!r) return '?';
  return r.schemaname ? `${r.schemaname}.${r.relname}` : String(r.relname ?? '?');
}

function strings(items: Node[] | undefined): string[] {
  return (items ?? []).map((x) => x?.String?.sval).filter((s): s is string => typeof s === 'string');
}

function typeText(t: Node): string {
  if (!t) return '?';
  const names = strings(t.names).filter((s) => s !== 'pg_catalog');
  const mods = (t.typmods ?? []).map((m: Node) => m?.A_Const?.ival?.ival ?? m?.A_Const?.sval?.sval ?? '').filter((x: unknown) => x !== '');
  return `${names.join('.')}${mods.length ? `(${mods.join(',')})` : ''}${t.arrayBounds ? '[]' : ''}`;
}

function volatileCall(e: Node): string | undefined {
  if (!e || typeof e !== 'object') return undefined;
  if (e.FuncCall) {
    const name = strings(e.FuncCall.funcname).pop()?.toLowerCase();
    if (name && VOLATILE.has(name)) return name;
  }
  for (const v of Object.values(e)) {
    const hit = typeof v === 'object' ? volatileCall(v) : undefined;
    if (hit) return hit;
  }
  return undefined;
}
