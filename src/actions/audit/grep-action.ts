import { grepFiles } from '../../audit/grep/grep-files.js';
import type { ActionImpl } from '../action.js';
import type { GrepWith } from './schemas.js';

/** `uses: audit/grep` — a thin adapter over grepFiles. */
export const grepAction: ActionImpl<GrepWith> = {
  async run(w, ctx) {
    const r = await grepFiles(w.pattern, w.paths, { cwd: ctx.cwd, allow: { globs: w.allow, marker: w.marker }, ignoreCase: w['ignore-case'], hidden: w.hidden, threads: w.threads, signal: ctx.signal });
    for (const h of r.hits) ctx.log(`${h.file}:${h.line}:${h.column}: ${h.text}`);
    for (const s of r.skipped) ctx.log(`skipped ${s.file}: ${s.reason} (${s.detail})`);
    const unreadable = r.skipped.filter((s) => s.reason === 'unreadable');
    const passed = r.hits.length <= w['max-hits'] && unreadable.length === 0;
    return {
      status: passed ? 'passed' : 'failed',
      summary: `${r.hits.length} counted hit(s) (budget ${w['max-hits']}), ${r.allowed.length} allowed, ${r.filesSearched} file(s) searched, ${r.skipped.length} skipped${unreadable.length ? `, ${unreadable.length} unreadable: the audit is incomplete` : ''}${r.hits.length ? `; first: ${r.hits.slice(0, 3).map((h) => `${h.file}:${h.line}:${h.column}`).join(', ')}` : ''}`,
      outputs: { hits: String(r.hits.length), allowed: String(r.allowed.length) },
      checks: [
        { name: 'counted hits', passed: r.hits.length <= w['max-hits'], expected: `≤ ${w['max-hits']}`, measured: String(r.hits.length) },
        { name: 'files readable', passed: unreadable.length === 0, expected: '0 unreadable', measured: `${unreadable.length} unreadable` },
      ],
      data: {
        pattern: w.pattern,
        hits: r.hits.slice(0, 200).map((h) => ({ file: h.file, line: h.line, column: h.column })),
        allowed: r.allowed.slice(0, 200).map((h) => ({ file: h.file, line: h.line, by: h.allowed?.by, rule: h.allowed?.rule, reason: h.allowed?.reason })),
        skipped: r.skipped,
      },
    };
  },
};
