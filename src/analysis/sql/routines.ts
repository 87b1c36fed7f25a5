/**
 * Functions and procedures a migration creates, and the calls to them. A `LANGUAGE sql` body is
 * parsed and analysed; a call (`SELECT f()`, `CALL p()`, `PERFORM f()`) to a routine created in
 * the same migration runs that body, so the body's statements are judged at the call. A call to
 * a routine whose body cannot be analysed (another language, a syntax error in the definition)
 * is opaque: never additive.
 */
import type { Op } from '../ops.js';
import { opsFromPgNode } from './postgres-node.js';
import type { RoutineDef, StatementOps } from './statement-ops.js';

// biome-ignore lint: the parse tree is untyped JSON
type Node = any;

type ParseSql = (sql: string, base: number) => StatementOps[];

/**
 * The routine a `CreateFunctionStmt` node creates. `start` is the statement's char offset;
 * `charAt` turns a byte offset of the parsed text into a char offset in the file.
 */
export function routineFromPgNode(n: Node, stmtText: string, start: number, charAt: (byte: number) => number, parseSql: ParseSql): RoutineDef {
  const name = lastName(n.funcname);
  const kind = n.is_procedure ? 'procedure' : 'function';
  const opts: Node[] = (n.options ?? []).map((o: Node) => o?.DefElem ?? {});
  const lang = String(opts.find((o) => o.defname === 'language')?.arg?.String?.sval ?? (n.sql_body ? 'sql' : '?')).toLowerCase();
  if (n.sql_body) {
    // BEGIN ATOMIC … END (a list of parsed statements) or RETURN expr: already parsed with the CREATE.
    const items = n.sql_body.ReturnStmt ? [n.sql_body] : flattenLists(n.sql_body);
    const body = items.map((item): StatementOps => {
      const { kind: k, ops } = item.ReturnStmt ? { kind: 'ReturnStmt', ops: [{ op: 'noop' } as Op] } : opsFromPgNode(item);
      const rel = bodyStatementStart(stmtText, minLocation(item), start, charAt);
      const calls = callsInPgNode(item);
      return { start: start + rel, text: stmtText.slice(rel).split(';')[0]!, kind: k, ops, ...(calls.length ? { calls } : {}) };
    });
    return { name, kind, language: lang, body };
  }
  const as = opts.find((o) => o.defname === 'as');
  const strs: string[] = (as?.arg?.List?.items ?? []).map((x: Node) => x?.String?.sval).filter((s: unknown): s is string => typeof s === 'string');
  if (lang !== 'sql' || strs.length !== 1) return { name, kind, language: lang, body: null };
  const src = strs[0]!;
  const at = stmtText.indexOf(src);
  if (at >= 0) return { name, kind, language: lang, body: parseSql(src, start + at) };
  // A '…'-quoted body with '' escapes is not found verbatim: report its statements at AS.
  const asAt = typeof as?.location === 'number' ? charAt(as.location) : start;
  return { name, kind, language: lang, body: parseSql(src, 0).map((s) => ({ ...s, start: asAt })) };
}

/** Names (lower-case, unqualified) of every function or procedure called anywhere in a node. */
export function callsInPgNode(node: Node): string[] {
  const out = new Set<string>();
  const walk = (x: Node): void => {
    if (!x || typeof x !== 'object') return;
    if (Array.isArray(x)) {
      for (const v of x) walk(v);
      return;
    }
    for (const [k, v] of Object.entries(x)) {
      if ((k === 'FuncCall' || k === 'funccall') && v && typeof v === 'object') {
        const name = lastName((v as Node).funcname);
        if (name) out.add(name);
      }
      walk(v);
    }
  };
  walk(node);
  return [...out];
}

/**
 * Judge calls to routines created earlier in the same migration: each call is followed by the
 * called body's statements, located at the call (that is when they run); an unanalysable body
 * makes the call opaque. A routine never called here keeps its body's statements at its
 * definition, flagged guarded ("runs only when f() is called"): a later release or migration
 * may call it.
 */
export function expandRoutineCalls(stmts: readonly StatementOps[]): StatementOps[] {
  if (!stmts.some((s) => s.defines)) return [...stmts];
  const defs = new Map<string, { def: RoutineDef; index: number }>();
  const called = new Set<number>();
  const out: StatementOps[][] = stmts.map((s) => [s]);
  stmts.forEach((s, i) => {
    // CALL of a pre-existing procedure is opaque (postgres-node.ts); CALL of one created here
    // with an analysed body is judged by that body. The callee is listed first (postgres.ts).
    const callee = s.kind === 'CallStmt' ? defs.get(s.calls?.[0] ?? '') : undefined;
    if (callee?.def.body) out[i]![0] = { ...s, ops: [{ op: 'noop' }] };
    out[i]!.push(...expandCalls(s, s, defs, called, []));
    if (s.defines) defs.set(s.defines.name, { def: s.defines, index: i });
  });
  stmts.forEach((s, i) => {
    if (!s.defines?.body || called.has(i)) return;
    const name = s.defines.name;
    for (const b of s.defines.body) {
      if (isInert(b)) continue;
      const placed: StatementOps = {
        ...b, kind: `${name}() body ${b.kind}`,
        ...(s.line !== undefined ? { start: s.start, line: s.line, col: s.col ?? 1 } : {}),
        guarded: true, condition: joinConditions(s.condition, b.condition, `runs only when ${name}() is called`),
      };
      out[i]!.push(placed, ...expandCalls(placed, placed, defs, called, [name]));
    }
  });
  return out.flat();
}

function expandCalls(s: StatementOps, at: StatementOps, defs: ReadonlyMap<string, { def: RoutineDef; index: number }>, called: Set<number>, stack: readonly string[]): StatementOps[] {
  const out: StatementOps[] = [];
  for (const name of s.calls ?? []) {
    const d = defs.get(name);
    if (!d) continue;
    called.add(d.index);
    const here = { start: at.start, ...(at.line !== undefined ? { line: at.line, col: at.col ?? 1 } : {}) };
    const guard = (extra?: string): { guarded?: boolean; condition?: string } => {
      const c = joinConditions(at.condition, extra);
      return at.guarded || extra ? { guarded: true, condition: c } : {};
    };
    if (stack.includes(name)) {
      out.push({ ...here, text: at.text, kind: `call ${name}()`, ops: [{ op: 'opaque', reason: `${name}() calls itself (via ${stack.join(' → ')}): the depth cannot be analysed` }], ...guard() });
      continue;
    }
    if (d.def.body === null) {
      const reason = `calls ${d.def.kind} ${name}(), created in this migration in LANGUAGE ${d.def.language}: its body cannot be analysed`;
      out.push({ ...here, text: at.text, kind: `call ${name}()`, ops: [{ op: 'opaque', reason }], ...guard() });
      continue;
    }
    for (const b of d.def.body) {
      const placed: StatementOps = { ...b, ...here, kind: `${name}() ${b.kind}`, ...guard(b.condition) };
      if (!isInert(b)) out.push(placed);
      out.push(...expandCalls(b, placed, defs, called, [...stack, name]));
    }
  }
  return out;
}

/** A body statement that changes nothing and calls nothing: not worth a line in the report. */
function isInert(s: StatementOps): boolean {
  return s.ops.every((o) => o.op === 'noop');
}

function joinConditions(...cs: (string | undefined)[]): string {
  return cs.filter((c): c is string => Boolean(c)).join(' and ');
}

function lastName(items: Node[] | undefined): string {
  const names = (items ?? []).map((x: Node) => x?.String?.sval).filter((s: unknown): s is string => typeof s === 'string');
  return (names.pop() ?? '').toLowerCase();
}

function flattenLists(n: Node): Node[] {
  if (n?.List) return (n.List.items ?? []).flatMap(flattenLists);
  return n ? [n] : [];
}

/**
 * Char offset (in the statement) where a BEGIN ATOMIC body statement starts. Parsed body
 * statements carry no location of their own, only their tokens do: step back from the first
 * token to just after the previous `;` or `ATOMIC`.
 */
function bodyStatementStart(stmtText: string, byte: number | undefined, start: number, charAt: (byte: number) => number): number {
  if (byte === undefined) return 0;
  const tok = Math.max(0, charAt(byte) - start);
  const before = stmtText.slice(0, tok);
  const m = /(?:;|\batomic\b)(?=[^;]*$)/i.exec(before);
  if (!m) return tok;
  let i = m.index + m[0].length;
  while (i < tok && /\s/.test(stmtText[i]!)) i++;
  return i;
}

function minLocation(n: Node): number | undefined {
  let min: number | undefined;
  const walk = (x: Node): void => {
    if (!x || typeof x !== 'object') return;
    for (const [k, v] of Object.entries(x)) {
      if (k === 'location' && typeof v === 'number' && v >= 0) min = min === undefined ? v : Math.min(min, v);
      else walk(v);
    }
  };
  walk(n);
  return min;
}
