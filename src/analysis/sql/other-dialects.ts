/**
 * SQLite and MySQL statements → operations, via node-sql-parser (a maintained PEG parser with
 * one grammar per dialect). Its ALTER TABLE coverage was checked against every shape the rules
 * need (ADD/DROP/RENAME COLUMN, RENAME TO, MODIFY/CHANGE, ADD/DROP constraints and indexes,
 * CREATE/DROP TABLE, CREATE [UNIQUE] INDEX, DML). Its gaps, handled by `fallbackOps` below:
 * transaction control and PRAGMA (SQLite), `DROP INDEX` (SQLite), `ALTER COLUMN … DROP/SET
 * DEFAULT` (MySQL), and `SET …` session statements.
 */
import { createRequire } from 'node:module';
import { isBoundedType, type ConstraintKind, type Op } from '../ops.js';
import { kindFromName } from './postgres-node.js';
import { splitStatements } from './split-statements.js';
import type { StatementOps } from './statement-ops.js';

// biome-ignore lint: untyped AST
type Node = any;
interface SqlParser {
  astify(sql: string, opts: { database: string }): Node;
}

const require = createRequire(import.meta.url);
const parsers = new Map<string, SqlParser>();

/** The per-dialect build is loaded on first use (each is ~250 kB of generated code). */
function parserFor(dialect: 'sqlite' | 'mysql'): SqlParser {
  let p = parsers.get(dialect);
  if (!p) {
    const mod = require(`node-sql-parser/build/${dialect}.js`) as { Parser: new () => SqlParser };
    p = new mod.Parser();
    parsers.set(dialect, p);
  }
  return p;
}

/** Parse SQLite or MySQL text into statements and their operations. */
export function otherDialectStatements(text: string, dialect: 'sqlite' | 'mysql', base = 0): StatementOps[] {
  return splitStatements(text, dialect).map((span) => {
    const start = base + span.start;
    const fb = fallbackOps(span.text);
    if (fb) return { start, text: span.text, kind: fb.kind, ops: fb.ops };
    try {
      const ast = parserFor(dialect).astify(span.text, { database: dialect });
      const nodes: Node[] = Array.isArray(ast) ? ast : [ast];
      const ops = nodes.flatMap(opsFromAst);
      return { start, text: span.text, kind: String(nodes[0]?.type ?? 'empty'), ops };
    } catch (e) {
      const err = e as Error & { location?: { start?: { offset?: number } } };
      const at = err.location?.start?.offset ?? 0;
      const msg = err.message.length > 160 ? `${err.message.slice(0, 159)}…` : err.message;
      return { start: start + at, text: span.text, kind: 'ParseError', ops: [{ op: 'parse-error', message: `syntax error (${dialect}): ${msg}` }] };
    }
  });
}

function fallbackOps(sql: string): { kind: string; ops: Op[] } | null {
  const s = sql.replace(/;\s*$/, '').trim();
  if (/^(begin|commit|end|rollback|start\s+transaction|savepoint|release)\b/i.test(s) || /^(pragma|set|use|analyze|vacuum|lock\s+tables|unlock\s+tables)\b/i.test(s)) {
    return { kind: s.split(/\s+/)[0]!.toLowerCase(), ops: [{ op: 'noop' }] };
  }
  let m = /^drop\s+index\s+(?:if\s+exists\s+)?([`"\w.]+)\s*$/i.exec(s);
  if (m) return { kind: 'drop', ops: [{ op: 'drop-index', name: unq(m[1]!), concurrently: false }] };
  m = /^alter\s+table\s+([`"\w.]+)\s+alter\s+(?:column\s+)?([`"\w]+)\s+(drop|set)\s+default\b/i.exec(s);
  if (m) {
    const table = unq(m[1]!);
    const column = unq(m[2]!);
    return { kind: 'alter', ops: [m[3]!.toLowerCase() === 'drop' ? { op: 'drop-default', table, column } : { op: 'set-default', table, column }] };
  }
  return null;
}

function opsFromAst(n: Node): Op[] {
  switch (n?.type) {
    case 'alter': {
      const table = tableName(n.table?.[0]);
      return (n.expr ?? []).map((e: Node) => alterOp(table, e));
    }
    case 'rename':
      return (n.table ?? []).map((pair: Node[]) => ({ op: 'rename-table', table: tableName(pair[0]), to: tableName(pair[1]) }) as Op);
    case 'create':
      if (n.keyword === 'table') return [{ op: 'create-table', table: tableName(n.table?.[0]) }];
      if (n.keyword === 'index') return [{ op: 'create-index', table: tableName(n.table), name: typeof n.index === 'string' ? n.index : n.index?.name ?? '?', unique: /unique/i.test(n.index_type ?? ''), concurrently: false }];
      return [{ op: 'create-other', what: String(n.keyword ?? 'object') }];
    case 'drop': {
      const names: string[] = (n.name ?? []).map(tableName);
      if (n.keyword === 'table') return names.map((t) => ({ op: 'drop-table', table: t }) as Op);
      if (n.keyword === 'index') return names.map((t) => ({ op: 'drop-index', name: t, concurrently: false }) as Op);
      return names.map((t) => ({ op: 'drop-other', what: String(n.keyword), name: t }) as Op);
    }
    case 'insert':
    case 'replace':
      return [{ op: 'dml', verb: 'insert', table: tableName(n.table?.[0]) }];
    case 'update':
      return [{ op: 'dml', verb: 'update', table: tableName(n.table?.[0]) }];
    case 'delete':
      return [{ op: 'dml', verb: 'delete', table: tableName(n.from?.[0] ?? n.table?.[0]) }];
    case 'truncate':
      return (n.name ?? []).map((t: Node) => ({ op: 'dml', verb: 'truncate', table: tableName(t) }) as Op);
    case 'select':
    case 'set':
    case 'use':
    case 'show':
    case 'transaction':
      return [{ op: 'noop' }];
    default:
      return [{ op: 'opaque', reason: `statement type ${String(n?.type)} is not modelled` }];
  }
}

function alterOp(table: string, e: Node): Op {
  const col = (c: Node): string => (typeof c === 'string' ? c : String(c?.column?.expr?.value ?? c?.column ?? '?'));
  const action = String(e.action ?? '').toLowerCase();
  if (action === 'add' && e.resource === 'column') {
    return { op: 'add-column', table, column: col(e.column), notNull: e.nullable?.type === 'not null' || Boolean(e.primary_key), hasDefault: Boolean(e.default_val) || Boolean(e.auto_increment), primaryKey: Boolean(e.primary_key), unique: Boolean(e.unique) };
  }
  if (action === 'add' && e.create_definitions) {
    const d = e.create_definitions;
    const ct = String(d.constraint_type ?? '').toLowerCase();
    const name = String(d.constraint ?? d.index ?? '(unnamed)');
    if (ct === 'index' || ct === 'key' || ct === 'fulltext' || ct === 'spatial') return { op: 'create-index', table, name, unique: false, concurrently: false };
    return { op: 'add-constraint', table, name, kind: constraintKind(ct), notValid: false };
  }
  if (action === 'drop') {
    if (e.resource === 'column') return { op: 'drop-column', table, column: col(e.column) };
    if (e.resource === 'index') return { op: 'drop-index', name: String(e.index ?? '?'), concurrently: false };
    const kw = String(e.keyword ?? '').toLowerCase();
    const name = String(e.key ?? e.constraint ?? e.index ?? '');
    if (kw === 'primary key') return { op: 'drop-constraint', table, name: 'PRIMARY', kind: 'primary' };
    if (kw === 'foreign key') return { op: 'drop-constraint', table, name, kind: 'foreign' };
    return { op: 'drop-constraint', table, name, kind: kindFromName(name) };
  }
  if (action === 'rename') {
    if (e.resource === 'column') return { op: 'rename-column', table, column: col(e.old_column), to: col(e.column) };
    return { op: 'rename-table', table, to: String(e.table ?? '?') };
  }
  if (action === 'modify' || action === 'change') {
    const type = typeOf(e.definition);
    const from = col(e.old_column ?? e.column);
    const to = col(e.column);
    if (action === 'change' && from.toLowerCase() !== to.toLowerCase()) return { op: 'rename-column', table, column: from, to };
    return { op: 'alter-type', table, column: to, type, narrowing: isBoundedType(type) };
  }
  if (action === 'algorithm' || action === 'lock') return { op: 'noop' };
  return { op: 'opaque', reason: `ALTER TABLE ${table}: ${action || 'action'} ${String(e.resource ?? '')} is not modelled` };
}

function constraintKind(ct: string): ConstraintKind {
  if (ct.startsWith('primary')) return 'primary';
  if (ct.startsWith('unique')) return 'unique';
  if (ct.startsWith('foreign')) return 'foreign';
  if (ct.startsWith('check')) return 'check';
  return 'other';
}

function typeOf(d: Node): string {
  if (!d) return '?';
  const args = d.length != null ? `(${d.length}${d.scale != null ? `,${d.scale}` : ''})` : '';
  return `${String(d.dataType ?? '?')}${args}`.toLowerCase();
}

function tableName(t: Node): string {
  if (!t) return '?';
  if (typeof t === 'string') return t;
  return t.db ? `${t.db}.${t.table}` : String(t.table ?? '?');
}

function unq(s: string): string {
  return s.replace(/[`"]/g, '');
}
