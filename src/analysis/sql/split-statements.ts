import type { Dialect } from '../types.js';

/** A statement's span in the source text (char offsets; `start` skips leading blanks and comments). */
export interface StatementSpan {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * Split SQL text into statements at top-level semicolons, respecting quotes, comments, dollar
 * quotes (Postgres) and trigger bodies (`CREATE TRIGGER … BEGIN … END`, SQLite/MySQL).
 *
 * Hand-written because neither libpg-query nor node-sql-parser can recover from a syntax error:
 * both reject the whole text. Splitting first lets one bad statement be reported at its own
 * line while the rest are still analysed, and lets large files be parsed in bounded chunks.
 */
export function splitStatements(sql: string, dialect: Dialect): StatementSpan[] {
  const out: StatementSpan[] = [];
  const n = sql.length;
  let i = 0;
  let stmtStart = -1;
  let depth = 0; // BEGIN…END nesting inside a trigger body
  let inTrigger = false;
  const flush = (end: number): void => {
    if (stmtStart >= 0) out.push({ start: stmtStart, end, text: sql.slice(stmtStart, end) });
    stmtStart = -1;
    depth = 0;
    inTrigger = false;
  };
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const eol = sql.indexOf('\n', i);
      i = eol < 0 ? n : eol + 1;
      continue;
    }
    if (c === '#' && dialect === 'mysql') {
      const eol = sql.indexOf('\n', i);
      i = eol < 0 ? n : eol + 1;
      continue;
    }
    if (c === '/' && next === '*') {
      i = skipBlockComment(sql, i, dialect === 'postgres');
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (stmtStart < 0) {
      if (c === ';') {
        i++;
        continue;
      }
      stmtStart = i;
      inTrigger = dialect !== 'postgres' && /^create\s+(temp\s+|temporary\s+)?trigger\b/i.test(sql.slice(i, i + 40));
    }
    if (c === "'" || c === '"' || (c === '`' && dialect !== 'postgres')) {
      i = skipQuoted(sql, i, c, dialect !== 'postgres' || (c === "'" && /[eE]/.test(sql[i - 1] ?? '')));
      continue;
    }
    if (c === '$' && dialect === 'postgres') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
      if (m && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? '')) {
        const close = sql.indexOf(m[0], i + m[0].length);
        i = close < 0 ? n : close + m[0].length;
        continue;
      }
    }
    if (inTrigger && /[A-Za-z]/.test(c)) {
      const word = /^[A-Za-z_]+/.exec(sql.slice(i, i + 16))![0];
      const w = word.toLowerCase();
      if (w === 'begin' || w === 'case') depth++;
      else if (w === 'end' && depth > 0) depth--;
      i += word.length;
      continue;
    }
    if (c === ';' && depth === 0) {
      flush(i + 1);
      i++;
      continue;
    }
    i++;
  }
  flush(n);
  // A trailing span of only whitespace cannot happen (stmtStart is set on a non-blank char).
  return out;
}

function skipBlockComment(sql: string, i: number, nested: boolean): number {
  let depth = 0;
  const n = sql.length;
  while (i < n) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth = nested ? depth + 1 : 1;
      i += 2;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth <= 0) return i;
    } else i++;
  }
  return n;
}

function skipQuoted(sql: string, i: number, q: string, backslash: boolean): number {
  const n = sql.length;
  i++;
  while (i < n) {
    const c = sql[i]!;
    if (backslash && c === '\\') {
      i += 2;
      continue;
    }
    if (c === q) {
      if (sql[i + 1] === q) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return n;
}
