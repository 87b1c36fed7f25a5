import type { Parser } from 'web-tree-sitter';
import { readAlembicRevision } from './alembic/revision.js';
import { loadPythonParser } from './alembic/python-parser.js';
import { judgeOp, makeFinding } from './judge.js';
import { findSuspectedRenames, findTableRebuilds } from './migration-patterns.js';
import { normalizeName, type Op } from './ops.js';
import { abbreviate, decodeText, LineIndex } from './source-text.js';
import { otherDialectStatements } from './sql/other-dialects.js';
import { loadPostgresParser, postgresStatements } from './sql/postgres.js';
import { expandRoutineCalls } from './sql/routines.js';
import type { StatementOps } from './sql/statement-ops.js';
import { worseClass, type Dialect, type Finding, type MigrationClass, type MigrationResult, type MigrationTool, type StatementResult } from './types.js';

/** One migration to analyse: its identity and its file's bytes (or only its size, when capped). */
export interface MigrationSource {
  readonly id: string;
  readonly file: string;
  readonly tool: MigrationTool;
  readonly dialect: Dialect;
  /** The file's bytes or text. Null when the loader did not read it (over `maxBytes`). */
  readonly content: Uint8Array | string | null;
  /** The file size in bytes (required when `content` is null). */
  readonly size?: number;
}

export interface AnalyzerOptions {
  /** Files above this many bytes are not parsed (a `file-too-large` finding). Default: 16 MiB. */
  readonly maxBytes?: number;
  /** Load the Python parser for Alembic revisions. Default: true. */
  readonly alembic?: boolean;
}

/** A loaded analyzer: synchronous and pure once created. */
export interface Analyzer {
  analyzeMigration(src: MigrationSource): MigrationResult;
}

export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

/** Load the parsers (WASM) once and return an analyzer. */
export async function createAnalyzer(opts: AnalyzerOptions = {}): Promise<Analyzer> {
  await loadPostgresParser();
  const python = opts.alembic === false ? null : await loadPythonParser();
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  return { analyzeMigration: (src) => analyzeWith(src, python, maxBytes) };
}

/**
 * SQL text → statements, in the given dialect. `routines`: names of the functions/procedures
 * created so far in the migration (Postgres); pass one set for all SQL of one migration.
 */
export function parseSqlStatements(text: string, dialect: Dialect, routines: Set<string> = new Set()): StatementOps[] {
  return dialect === 'postgres' ? postgresStatements(text, 0, routines) : otherDialectStatements(text, dialect);
}

function analyzeWith(src: MigrationSource, python: Parser | null, maxBytes: number): MigrationResult {
  const at = { file: src.file, line: 1, col: 1 };
  const size = src.content === null ? (src.size ?? Number.POSITIVE_INFINITY) : typeof src.content === 'string' ? src.content.length : src.content.byteLength;
  if (src.content === null || size > maxBytes) {
    return single(src, makeFinding('file-too-large', at, `${src.file} is ${size} bytes; the cap is ${maxBytes} bytes`));
  }
  let text: string;
  if (typeof src.content === 'string') text = src.content;
  else {
    const dec = decodeText(src.content);
    if (!dec.ok) return single(src, makeFinding(dec.problem.rule, { file: src.file, line: dec.problem.line, col: dec.problem.col }, dec.problem.message));
    text = dec.text;
  }
  if (src.tool === 'alembic') return analyzeAlembic(src, text, python);
  const stmts = parseSqlStatements(text, src.dialect);
  if (stmts.length === 0) return single(src, makeFinding('empty-migration', at, `${src.file} holds no SQL statements`));
  return assemble(src, text, stmts, []);
}

function analyzeAlembic(src: MigrationSource, text: string, python: Parser | null): MigrationResult {
  const at = { file: src.file, line: 1, col: 1 };
  if (!python) return single(src, makeFinding('opaque-statement', at, 'the analyzer was created without Alembic support'));
  if (text.trim() === '') return single(src, makeFinding('empty-migration', at, `${src.file} is empty`));
  // One set for the whole revision: a function created in one op.execute may be called in another.
  const routines = new Set<string>();
  const rev = readAlembicRevision(text, python, src.dialect, (sql) => parseSqlStatements(sql, src.dialect, routines));
  const extra: Finding[] = [];
  if (rev.syntaxError) extra.push(makeFinding('parse-error', { file: src.file, line: rev.syntaxError.line, col: rev.syntaxError.col }, rev.syntaxError.message));
  if (!rev.revision || !rev.hasUpgrade) {
    const missing = !rev.revision ? 'no `revision = "…"` assignment' : 'no upgrade() function';
    extra.push(makeFinding('not-alembic-revision', at, `${src.file} is not an Alembic revision: ${missing}`));
  } else if (rev.statements.length === 0 && !rev.syntaxError) {
    // A merge revision (down_revision is a tuple) legitimately does nothing.
    if (!/^\(/.test(rev.downRevision ?? '')) extra.push(makeFinding('empty-migration', at, `upgrade() of ${rev.revision} performs no operation`));
  }
  const result = assemble({ ...src, id: rev.revision ?? src.id }, text, rev.statements, extra);
  // Only a real revision takes part in the down_revision chain.
  return rev.revision ? { ...result, downRevision: rev.downRevision } : result;
}

/** Judge statements in order, then add migration-level patterns. */
function assemble(src: MigrationSource, text: string, parsed: readonly StatementOps[], extra: Finding[]): MigrationResult {
  // Calls to routines created in this migration run their bodies: judge those where they run.
  const stmts = expandRoutineCalls(parsed);
  const lines = new LineIndex(text);
  const located = stmts.map((s) => ({ s, ...(s.line !== undefined ? { line: s.line, col: s.col ?? 1 } : lines.locate(s.start)) }));
  const rebuilt = findTableRebuilds(stmts.map((s) => s.ops));
  const created = new Set<string>();
  const results: StatementResult[] = [];
  for (const { s, line, col } of located) {
    const at = { file: src.file, line, col };
    const extras = s.guarded ? { guarded: true, condition: s.condition ?? '' } : {};
    let cls: MigrationClass = 'none';
    const findings: Finding[] = [];
    for (const raw of s.ops) {
      const op: Op = raw.op === 'drop-table' && rebuilt.has(normalizeName(raw.table)) ? { op: 'table-rebuild', table: raw.table, via: `new table copied, ${raw.table} dropped, new table renamed to ${raw.table}`, hidesChanges: true } : raw;
      const j = judgeOp(op, at, { dialect: src.dialect, createdTables: created }, extras);
      cls = worseClass(cls, j.class);
      findings.push(...j.findings);
      if (op.op === 'create-table') created.add(normalizeName(op.table));
      if (op.op === 'rename-table' && created.has(normalizeName(op.table))) created.add(normalizeName(op.to));
    }
    results.push({ file: src.file, line, col, kind: s.kind, text: abbreviate(s.text), class: cls, findings, ...extras });
  }
  const patterns = findSuspectedRenames(src.file, results, stmts, created);
  const findings = [...extra, ...results.flatMap((r) => r.findings), ...patterns];
  let cls: MigrationClass = 'none';
  for (const r of results) cls = worseClass(cls, r.class);
  for (const f of [...extra, ...patterns]) cls = worseClass(cls, f.class);
  return { id: src.id, file: src.file, tool: src.tool, dialect: src.dialect, class: cls, statements: results, findings };
}

function single(src: MigrationSource, f: Finding): MigrationResult {
  return { id: src.id, file: src.file, tool: src.tool, dialect: src.dialect, class: f.class, statements: [], findings: [f] };
}
