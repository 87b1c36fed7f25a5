import type { Op } from '../ops.js';
import { splitStatements } from './split-statements.js';
import type { StatementOps } from './statement-ops.js';

type ParseSql = (sql: string, base: number) => StatementOps[];

/**
 * Find the SQL inside a PL/pgSQL body (a `DO $$ … $$` block): plain statements, `EXECUTE
 * 'literal'` strings, and the `IF … THEN` conditions that guard them.
 *
 * Hand-written because libpg-query's WASM build (v17) exposes no PL/pgSQL parser. This reads
 * the block structure only (BEGIN/DECLARE/IF/ELSIF/ELSE/LOOP/EXCEPTION/END); anything it
 * cannot read as SQL is reported as opaque, never skipped.
 */
export function opsFromPlpgsql(body: string, base: number, parseSql: ParseSql): StatementOps[] {
  const out: StatementOps[] = [];
  const guards: string[] = [];
  let declaring = false;
  for (const span of splitStatements(body, 'postgres')) {
    let text = span.text.replace(/;\s*$/, '');
    let offset = span.start;
    const lead = /^(?:\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/)*/.exec(text)?.[0].length ?? 0;
    text = text.slice(lead);
    offset += lead;
    const eat = (re: RegExp): RegExpExecArray | null => {
      const m = re.exec(text);
      if (!m) return null;
      // Skip the blanks and comments that follow, so the next keyword is at the front.
      const skip = m[0].length + (/^(?:\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/)*/.exec(text.slice(m[0].length))?.[0].length ?? 0);
      text = text.slice(skip);
      offset += skip;
      return m;
    };
    for (let progress = true; progress && text.length > 0; ) {
      progress = false;
      let m: RegExpExecArray | null;
      if (eat(/^<<\w+>>/)) progress = true;
      if (eat(/^declare\b/i)) (declaring = true), (progress = true);
      if (eat(/^begin\b/i)) (declaring = false), (progress = true);
      if (eat(/^end\s+(if|loop|case)\b/i)) (guards.pop(), (progress = true));
      else if (eat(/^end\b\s*\w*$/i)) progress = true;
      if ((m = eat(/^(if|elsif)\s+([\s\S]*?)\s+then\b/i))) {
        if (m[1]!.toLowerCase() === 'elsif') guards.pop();
        guards.push(m[2]!.replace(/\s+/g, ' '));
        progress = true;
      }
      if (eat(/^else\b/i)) {
        guards.push(`not (${guards.pop() ?? ''})`);
        progress = true;
      }
      if ((m = eat(/^(for|foreach|while)\b([\s\S]*?)\bloop\b/i))) guards.push(`${m[1]}${m[2]!.replace(/\s+/g, ' ')}loop`), (progress = true);
      else if (eat(/^loop\b/i)) guards.push('loop'), (progress = true);
      if ((m = eat(/^exception\s+when\s+([\s\S]*?)\s+then\b/i))) guards.push(`exception when ${m[1]}`), (progress = true);
    }
    if (text.length === 0 || declaring) continue;
    const extras = guards.length > 0 ? { guarded: true, condition: guards.join(' and ') } : {};
    const plain = (ops: Op[], kind: string): void => void out.push({ start: base + offset, text, kind, ops, ...extras });
    // PERFORM, SELECT … INTO and `x := expr` change nothing themselves, but may call a routine
    // this migration created (routines.ts judges those calls): keep the calls they make.
    const read = /^perform\b/i.test(text) ? `SELECT ${text.slice('perform'.length)}` : /^select\b[\s\S]*\binto\b/i.test(text) ? text : /^[\w.]+\s*:=/.test(text) ? `SELECT ${text.replace(/^[\w.]+\s*:=/, '')}` : undefined;
    if (read !== undefined || /^(raise|return|null|get\s+diagnostics|assert|continue|exit|commit|rollback)\b/i.test(text)) {
      const calls = read === undefined ? [] : parseSql(read, 0).flatMap((s) => s.calls ?? []);
      out.push({ start: base + offset, text, kind: 'plpgsql', ops: [{ op: 'noop' }], ...extras, ...(calls.length > 0 ? { calls } : {}) });
      continue;
    }
    const exec = /^execute\s+/i.exec(text);
    if (exec) {
      const lit = /^'((?:[^']|'')*)'\s*$/.exec(text.slice(exec[0].length));
      if (!lit) {
        plain([{ op: 'opaque', reason: 'EXECUTE of a computed string cannot be analysed' }], 'plpgsql EXECUTE');
        continue;
      }
      const sql = lit[1]!.replace(/''/g, "'");
      // Offsets inside an unescaped string shift when '' occurs; report at the EXECUTE.
      for (const s of parseSql(sql, 0)) out.push({ ...s, start: base + offset, kind: `EXECUTE ${s.kind}`, ...extras });
      continue;
    }
    for (const s of parseSql(text, base + offset)) out.push({ ...s, ...extras });
  }
  return out;
}
