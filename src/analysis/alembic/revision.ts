import type { Node, Parser } from 'web-tree-sitter';
import type { Dialect } from '../types.js';
import type { StatementOps } from '../sql/statement-ops.js';
import { opsFromOpCall } from './op-calls.js';
import { callArgs, stringValue } from './python-values.js';

/** Parses SQL found in `op.execute("…")` with the migration's dialect. */
export type ParseSql = (sql: string) => StatementOps[];

export interface AlembicRevision {
  readonly revision: string | null;
  readonly downRevision: string | null;
  /** Null when the file has no `upgrade()` function. */
  readonly hasUpgrade: boolean;
  readonly statements: StatementOps[];
  /** First Python syntax error, if any (1-based). */
  readonly syntaxError: { line: number; col: number; message: string } | null;
}

interface Scope {
  readonly guards: readonly string[];
  /** Alias bound by `with op.batch_alter_table(...) as alias:` → table. */
  readonly batch: ReadonlyMap<string, string>;
}

/**
 * Read an Alembic revision: its ids, and every `op.*` call in `upgrade()` (and in module-level
 * helper functions it calls), with the `if` conditions that guard them. Guarded calls are
 * reported, flagged, never dropped: shipgate cannot know which branch production takes.
 */
export function readAlembicRevision(source: string, parser: Parser, dialect: Dialect, parseSql: ParseSql): AlembicRevision {
  const tree = parser.parse(source);
  if (!tree) return { revision: null, downRevision: null, hasUpgrade: false, statements: [], syntaxError: { line: 1, col: 1, message: 'the Python parser returned no tree' } };
  try {
    const root = tree.rootNode;
    let revision: string | null = null;
    let downRevision: string | null = null;
    const functions = new Map<string, Node>();
    for (const top of root.namedChildren) {
      if (!top) continue;
      if (top.type === 'function_definition') functions.set(top.childForFieldName('name')?.text ?? '', top);
      const asg = top.type === 'expression_statement' ? top.namedChildren[0] : null;
      if (asg?.type === 'assignment') {
        const left = asg.childForFieldName('left')?.text;
        const right = asg.childForFieldName('right');
        if (left === 'revision') revision = stringValue(right);
        if (left === 'down_revision') downRevision = stringValue(right) ?? (right?.type === 'none' ? null : right?.text ?? null);
      }
    }
    const syntaxError = firstError(root);
    const upgrade = functions.get('upgrade');
    const statements: StatementOps[] = [];
    if (upgrade) {
      const visiting = new Set<string>(['upgrade']);
      const walk = (block: Node | null, scope: Scope): void => {
        for (const stmt of block?.namedChildren ?? []) if (stmt) visit(stmt, scope);
      };
      const visit = (n: Node, scope: Scope): void => {
        switch (n.type) {
          case 'if_statement': {
            const cond = n.childForFieldName('condition')?.text ?? '?';
            walk(n.childForFieldName('consequence'), guard(scope, cond));
            const negated: string[] = [`not (${cond})`];
            for (const alt of n.childrenForFieldName('alternative')) {
              if (!alt) continue;
              if (alt.type === 'elif_clause') {
                const c = alt.childForFieldName('condition')?.text ?? '?';
                walk(alt.childForFieldName('consequence'), guard(scope, [...negated, c].join(' and ')));
                negated.push(`not (${c})`);
              } else walk(alt.childForFieldName('body'), guard(scope, negated.join(' and ')));
            }
            return;
          }
          case 'for_statement':
          case 'while_statement': {
            const head = n.text.split('\n')[0]!.replace(/:\s*$/, '');
            walk(n.childForFieldName('body'), guard(scope, head));
            return;
          }
          case 'try_statement':
            for (const c of n.namedChildren) if (c && (c.type === 'block' || c.type.endsWith('_clause'))) visit(c, scope);
            return;
          case 'block':
          case 'except_clause':
          case 'finally_clause':
          case 'else_clause':
            for (const c of n.namedChildren) if (c) visit(c, scope);
            return;
          case 'with_statement':
            visitWith(n, scope);
            return;
          default:
            for (const call of callsIn(n)) visitCall(call, scope);
        }
      };
      const visitWith = (n: Node, scope: Scope): void => {
        const batch = new Map(scope.batch);
        for (const item of n.descendantsOfType('with_item')) {
          const v = item?.childForFieldName('value');
          const call = v?.type === 'as_pattern' ? v.namedChildren[0] : v;
          const alias = v?.type === 'as_pattern' ? v.childForFieldName('alias')?.text ?? v.namedChildren[1]?.text : undefined;
          if (call?.type === 'call' && /(^|\.)batch_alter_table$/.test(call.childForFieldName('function')?.text ?? '')) {
            const a = callArgs(call);
            const table = stringValue(a.positional[0] ?? a.keyword.get('table_name')) ?? a.positional[0]?.text ?? '?';
            if (alias) batch.set(alias, table);
            const recreate = stringValue(a.keyword.get('recreate')) ?? 'auto';
            if ((dialect === 'sqlite' && recreate !== 'never') || recreate === 'always') {
              statements.push(located(call, { kind: 'op.batch_alter_table', ops: [{ op: 'table-rebuild', table, via: 'Alembic batch_alter_table', hidesChanges: false }] }, scope));
            }
          }
        }
        walk(n.childForFieldName('body'), { ...scope, batch });
      };
      const visitCall = (call: Node, scope: Scope): void => {
        const fn = call.childForFieldName('function');
        if (!fn) return;
        if (fn.type === 'identifier' && functions.has(fn.text) && !visiting.has(fn.text)) {
          // A module-level helper: analyse its body once per call site, in this scope.
          visiting.add(fn.text);
          walk(functions.get(fn.text)!.childForFieldName('body'), scope);
          visiting.delete(fn.text);
          return;
        }
        if (fn.type !== 'attribute') return;
        const obj = fn.childForFieldName('object')?.text ?? '';
        const name = fn.childForFieldName('attribute')?.text ?? '';
        const batchTable = scope.batch.get(obj);
        if (obj !== 'op' && batchTable === undefined) {
          visitDatabaseCall(call, obj, name, scope);
          return;
        }
        if (name === 'execute') {
          const arg = callArgs(call).positional[0] ?? callArgs(call).keyword.get('sqltext');
          const sql = stringValue(arg);
          if (sql === null) {
            statements.push(located(call, { kind: 'op.execute', ops: [{ op: 'opaque', reason: `op.execute() of a computed value (${(arg?.text ?? '').slice(0, 60)})` }] }, scope));
            return;
          }
          const inner = parseSql(sql);
          if (inner.length === 0) statements.push(located(call, { kind: 'op.execute', ops: [{ op: 'noop' }] }, scope));
          for (const s of inner) statements.push(located(call, { ...routineLinks(s), kind: `op.execute ${s.kind}`, ops: s.ops, text: s.text }, scope));
          return;
        }
        const ops = opsFromOpCall(name, call, batchTable ?? null);
        if (ops) statements.push(located(call, { kind: `${batchTable !== undefined ? 'batch_op' : 'op'}.${name}`, ops }, scope));
      };
      /**
       * Database work outside `op.*`: `bind.execute(…)`, an ORM session's add/merge/commit,
       * `Table.create(bind)`. SQL strings are analysed; anything else is opaque, never ignored.
       */
      const visitDatabaseCall = (call: Node, obj: string, name: string, scope: Scope): void => {
        const args = callArgs(call);
        if (name === 'execute' || name === 'exec_driver_sql' || name === 'executemany') {
          const arg = args.positional[0];
          const sql = stringValue(arg);
          if (sql !== null) {
            for (const s of parseSql(sql)) statements.push(located(call, { ...routineLinks(s), kind: `${obj}.${name} ${s.kind}`, ops: s.ops, text: s.text }, scope));
            return;
          }
          const fnName = arg?.type === 'call' ? arg.childForFieldName('function')?.text ?? '' : '';
          if (/(^|\.)select$/.test(fnName) || (arg?.type === 'call' && /^(sa\.)?select\(/.test(arg.text))) return; // a read
          statements.push(located(call, { kind: `${obj}.${name}`, ops: [{ op: 'opaque', reason: `${obj}.${name}() of a computed statement cannot be analysed` }] }, scope));
          return;
        }
        const orm = /^(add|add_all|merge|delete|bulk_save_objects|bulk_insert_mappings|bulk_update_mappings)$/.test(name) && /(session|sess|db)$/i.test(obj);
        const ddl = /^(create|drop|create_all|drop_all)$/.test(name) && (args.keyword.has('bind') || args.positional.some((p) => /^(bind|conn|connection|engine)$/.test(p.text)));
        if (ddl && /\.__table__$/.test(obj) && (name === 'create' || name === 'drop')) {
          // Model.__table__.create(bind, checkfirst=True): SQLAlchemy emits CREATE/DROP TABLE.
          const table = `${obj.replace(/\.__table__$/, '')} (model)`;
          statements.push(located(call, { kind: `${obj}.${name}`, ops: [name === 'create' ? { op: 'create-table', table } : { op: 'drop-table', table }] }, scope));
          return;
        }
        if (orm || ddl) {
          statements.push(located(call, { kind: `${obj}.${name}`, ops: [{ op: 'opaque', reason: `${obj}.${name}() changes the database outside op.* and cannot be analysed` }] }, scope));
        }
      };
      walk(upgrade.childForFieldName('body'), { guards: [], batch: new Map() });
    }
    return { revision, downRevision, hasUpgrade: Boolean(upgrade), statements, syntaxError };
  } finally {
    tree.delete();
  }
}

function guard(scope: Scope, cond: string): Scope {
  return { ...scope, guards: [...scope.guards, cond.replace(/\s+/g, ' ')] };
}

/** The routine a SQL statement creates and the routines it calls (judged across op.execute calls by routines.ts). */
function routineLinks(s: StatementOps): Pick<StatementOps, 'defines' | 'calls'> {
  return { ...(s.defines ? { defines: s.defines } : {}), ...(s.calls ? { calls: s.calls } : {}) };
}

function located(n: Node, s: { kind: string; ops: StatementOps['ops']; text?: string } & Pick<StatementOps, 'defines' | 'calls'>, scope: Scope): StatementOps {
  return {
    ...routineLinks(s as StatementOps),
    start: 0, line: n.startPosition.row + 1, col: n.startPosition.column + 1, text: s.text ?? n.text, kind: s.kind, ops: s.ops,
    ...(scope.guards.length > 0 ? { guarded: true, condition: scope.guards.join(' and ') } : {}),
  };
}

/** Calls in an expression statement, outermost first, not descending into lambdas/defs. */
function callsIn(n: Node): Node[] {
  if (n.type === 'call') return [n];
  if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return [];
  return n.namedChildren.flatMap((c) => (c ? callsIn(c) : []));
}

function firstError(root: Node): { line: number; col: number; message: string } | null {
  if (!root.hasError) return null;
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.shift()!;
    if (n.type === 'ERROR' || n.isMissing) {
      return { line: n.startPosition.row + 1, col: n.startPosition.column + 1, message: n.isMissing ? `Python syntax error: missing ${n.type}` : `Python syntax error near "${n.text.slice(0, 40).replace(/\s+/g, ' ')}"` };
    }
    for (const c of n.children) if (c && c.hasError) stack.push(c);
    if (n.isMissing) break;
  }
  return { line: 1, col: 1, message: 'Python syntax error' };
}
