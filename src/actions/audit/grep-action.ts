import { incompleteSkips } from '../../audit/grep/incomplete-skips.js';
import { grepFiles } from '../../audit/grep/grep-files.js';
import { missingPaths, missingPathsMessage } from '../../audit/grep/missing-paths.js';
import type { ActionImpl } from '../action.js';
import type { GrepWith } from './schemas.js';

/** `uses: audit/grep` — a thin adapter over grepFiles. */
export const grepAction: ActionImpl<GrepWith> = {
  async run(w, ctx) {
    const r = await grepFiles(w.pattern, w.paths, { cwd: ctx.cwd, allow: { globs: w.allow, marker: w.marker }, ignoreCase: w['ignore-case'], hidden: w.hidden, ...(w.threads ? { threads: w.threads } : {}), signal: ctx.signal });
    for (const h of r.hits) ctx.log(`${h.file}:${h.line}:${h.column}: ${h.text}`);
    for (const s of r.skipped) ctx.log(`skipped ${s.file}: ${s.reason} (${s.detail})`);
    const unreadable = incompleteSkips(r.skipped);
    // A path asked for but absent was not searched: the step cannot vouch for it.
    const missing = missingPaths(r);
    // Searching nothing proves nothing: a path that is ignored, empty or misspelt must not pass.
    const searchedNone = r.filesSearched === 0;
    const passed = r.hits.length <= w['max-hits'] && unreadable.length === 0 && missing.length === 0 && !searchedNone;
    return {
      status: passed ? 'passed' : 'failed',
      summary: `${missing.length ? `${missingPathsMessage(missing, ctx.cwd)} (fix paths:); ` : ''}${searchedNone && !missing.length ? `${noFilesMessage(w.paths)}; ` : ''}${r.hits.length} counted hit(s) (budget ${w['max-hits']}), ${r.allowed.length} allowed, ${r.filesSearched} file(s) searched, ${r.skipped.length} skipped${unreadable.length ? `, ${unreadable.length} not searched whole (unreadable, or a line over the limit): the audit is incomplete` : ''}${r.hits.length ? `; first: ${r.hits.slice(0, 3).map((h) => `${h.file}:${h.line}:${h.column}`).join(', ')}` : ''}`,
      outputs: { hits: String(r.hits.length), allowed: String(r.allowed.length) },
      checks: [
        { name: 'counted hits', passed: r.hits.length <= w['max-hits'], expected: `≤ ${w['max-hits']}`, measured: String(r.hits.length) },
        { name: 'files searched', passed: !searchedNone, expected: '≥ 1 file searched', measured: `${r.filesSearched} file(s) searched` },
        { name: 'files readable', passed: unreadable.length === 0, expected: '0 unreadable or cut short', measured: `${unreadable.length} unreadable or cut short` },
        { name: 'paths exist', passed: missing.length === 0, expected: 'every path in paths: exists', measured: missing.length ? `missing: ${missing.join(', ')}` : 'all exist' },
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

/** The failure text when no file was searched (shared with `shipgate audit grep`). */
export function noFilesMessage(paths: readonly string[]): string {
  const where = paths.length ? paths.join(', ') : '.';
  return `searched no files under ${where} (all ignored or empty?); a zero-hit result would prove nothing — check the paths and the .gitignore/.ignore rules`;
}
