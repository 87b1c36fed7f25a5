import { loadModule, parseSync } from 'libpg-query';
import type { Op } from '../ops.js';
import { opsFromPgNode } from './postgres-node.js';
import { opsFromPlpgsql } from './plpgsql.js';
import { callsInPgNode, routineFromPgNode } from './routines.js';
import { splitStatements } from './split-statements.js';
import type { StatementOps } from './statement-ops.js';

let loaded: Promise<void> | undefined;

/** Load the Postgres parser (WASM) once; every other function here is synchronous after it. */
export function loadPostgresParser(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

/** Texts above this size are parsed in chunks of statements, to bound the parse tree in memory. */
const CHUNK_CHARS = 128 * 1024;

/**
 * Parse Postgres SQL (the real grammar, via libpg-query) into statements and their operations.
 * A syntax error costs only its own statement: the text is re-parsed statement by statement.
 * `routines` collects the names of functions/procedures created so far in the migration (pass
 * one set for all SQL of one migration); only statements naming one are searched for calls.
 * Call {@link loadPostgresParser} first.
 */
export function postgresStatements(text: string, base = 0, routines: Set<string> = new Set()): StatementOps[] {
  const parse: ParseSql = (sql, b) => postgresStatements(sql, b, routines);
  if (text.length <= CHUNK_CHARS) {
    const whole = tryParse(text);
    if (whole.ok) return fromTree(whole.tree, text, base, routines, parse);
  }
  const spans = splitStatements(text, 'postgres');
  const out: StatementOps[] = [];
  let i = 0;
  while (i < spans.length) {
    let j = i;
    let size = 0;
    while (j < spans.length && (j === i || size + spans[j]!.text.length <= CHUNK_CHARS)) size += spans[j++]!.text.length;
    const from = spans[i]!.start;
    const chunk = text.slice(from, spans[j - 1]!.end);
    const parsed = tryParse(chunk);
    if (parsed.ok) out.push(...fromTree(parsed.tree, chunk, base + from, routines, parse));
    else for (let k = i; k < j; k++) out.push(...statementAlone(spans[k]!.text, base + spans[k]!.start, routines, parse));
    i = j;
  }
  return out;
}

type ParseSql = (sql: string, base: number) => StatementOps[];

function statementAlone(stmt: string, base: number, routines: Set<string>, parse: ParseSql): StatementOps[] {
  const parsed = tryParse(stmt);
  if (parsed.ok) return fromTree(parsed.tree, stmt, base, routines, parse);
  const op: Op = { op: 'parse-error', message: `syntax error: ${parsed.message}` };
  // Point at the token the parser stopped on (cursorPosition is 1-based).
  const at = parsed.at > 0 ? Math.min(parsed.at - 1, stmt.length) : 0;
  return [{ start: base + at, text: stmt, kind: 'ParseError', ops: [op] }];
}

type Parsed = { ok: true; tree: { stmts?: unknown[] } } | { ok: false; message: string; at: number };

function tryParse(sql: string): Parsed {
  try {
    return { ok: true, tree: parseSync(sql) };
  } catch (e) {
    const err = e as Error & { sqlDetails?: { cursorPosition?: number } };
    return { ok: false, message: err.message, at: err.sqlDetails?.cursorPosition ?? 0 };
  }
}

// biome-ignore lint: untyped parse tree
type RawStmt = { stmt?: any; stmt_location?: number; stmt_len?: number };

function fromTree(tree: { stmts?: unknown[] }, text: string, base: number, routines: Set<string>, parse: ParseSql): StatementOps[] {
  const toChar = charOffsets(text);
  const out: StatementOps[] = [];
  for (const raw of (tree.stmts ?? []) as RawStmt[]) {
    const b0 = raw.stmt_location ?? 0;
    const s0 = toChar(b0);
    const s1 = raw.stmt_len ? toChar(b0 + raw.stmt_len) : text.length;
    const slice = text.slice(s0, s1);
    const lead = leadingBlank(slice);
    const stmtText = slice.slice(lead);
    const start = base + s0 + lead;
    if (raw.stmt?.DoStmt) {
      out.push(...doBlock(raw.stmt.DoStmt, stmtText, start, parse));
      continue;
    }
    const { kind, ops } = opsFromPgNode(raw.stmt);
    if (raw.stmt?.CreateFunctionStmt) {
      const defines = routineFromPgNode(raw.stmt.CreateFunctionStmt, stmtText, start, (b) => base + toChar(b), parse);
      routines.add(defines.name);
      out.push({ start, text: stmtText, kind, ops, defines });
      continue;
    }
    // Calls are matched later against the routines the migration creates (routines.ts). Walking
    // every parse tree costs a quarter of the parse: only statements naming a routine are walked.
    if (!mentionsAny(stmtText, routines)) {
      out.push({ start, text: stmtText, kind, ops });
      continue;
    }
    const found = callsInPgNode(raw.stmt);
    const callee = raw.stmt?.CallStmt ? callsInPgNode({ FuncCall: { funcname: raw.stmt.CallStmt.funccall?.funcname } })[0] : undefined;
    const calls = callee ? [callee, ...found.filter((c) => c !== callee)] : found;
    out.push({ start, text: stmtText, kind, ops, ...(calls.length > 0 ? { calls } : {}) });
  }
  return out;
}

// biome-ignore lint: untyped parse tree
function doBlock(n: any, stmtText: string, start: number, parse: ParseSql): StatementOps[] {
  const args: { DefElem?: { defname?: string; arg?: { String?: { sval?: string } } } }[] = n.args ?? [];
  const body = args.find((a) => a.DefElem?.defname === 'as')?.DefElem?.arg?.String?.sval ?? '';
  const lang = args.find((a) => a.DefElem?.defname === 'language')?.DefElem?.arg?.String?.sval ?? 'plpgsql';
  if (lang.toLowerCase() !== 'plpgsql') {
    return [{ start, text: stmtText, kind: 'DoStmt', ops: [{ op: 'opaque', reason: `DO block in language ${lang} cannot be analysed` }] }];
  }
  const at = stmtText.indexOf(body);
  const inner = opsFromPlpgsql(body, start + Math.max(0, at), parse);
  if (inner.length === 0) return [{ start, text: stmtText, kind: 'DoStmt', ops: [{ op: 'noop' }] }];
  return inner;
}

/** Libpg-query reports UTF-8 byte offsets; JS strings index UTF-16 units. */
function charOffsets(text: string): (byte: number) => number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII test
  if (!/[^\x00-\x7f]/.test(text)) return (b) => b;
  // Offsets arrive in increasing order (statement starts and ends): convert incrementally, so a
  // large non-ASCII chunk costs one pass, not one decode per statement.
  const bytes = Buffer.from(text, 'utf8');
  let lastByte = 0;
  let lastChar = 0;
  return (b) => {
    if (b < lastByte) {
      lastByte = 0;
      lastChar = 0;
    }
    lastChar += bytes.subarray(lastByte, b).toString('utf8').length;
    lastByte = b;
    return lastChar;
  };
}

/** True when the text holds one of the names (a cheap test before walking the parse tree). */
function mentionsAny(text: string, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  const lower = text.toLowerCase();
  for (const n of names) if (lower.includes(n)) return true;
  return false;
}

function leadingBlank(s: string): number {
  const m = /^(?:\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/)*/.exec(s);
  return m ? m[0].length : 0;
}
