import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { incompleteSkips } from './incomplete-skips.js';
import type { GrepHit, GrepReport } from './types.js';

/**
 * `file:line:col: text` per counting hit (gcc/rg --column style, which editors and CI
 * annotators understand), then a summary: allowed hits and skipped files are counted and
 * listed, so a zero-hit gate shows what it did not count.
 */
export function formatGrepText(r: GrepReport, opts: { showAllowed?: boolean } = {}): string {
  const lines = r.hits.map(hitLine);
  if (opts.showAllowed) {
    for (const h of r.allowed) lines.push(`${hitLine(h)}  [allowed by ${h.allowed!.by} ${h.allowed!.rule}${h.allowed!.reason ? `: ${h.allowed!.reason}` : ''}]`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** Skip reasons that are expected in any real tree: counted with a few examples, not listed whole. */
const ROUTINE_SKIPS: ReadonlySet<string> = new Set(['binary', 'symlink']);
/** How many files of a routine reason are named before "… and N more". */
const ROUTINE_EXAMPLES = 3;

/**
 * The summary printed on stderr after the hits. Every skip that could hide a hit someone should
 * see (unreadable, too long a line, not a file) is named, one per line. Binary files and
 * symlinks — hundreds in a real repository (images, fonts, wasm) — are counted per reason with
 * a few examples: listing them all buried the lines that matter. `--show-skipped` (or --json,
 * or SARIF) lists every one.
 */
export function formatGrepSummary(r: GrepReport, opts: { showSkipped?: boolean } = {}): string {
  const out = [`${r.hits.length} hit(s) counted, ${r.allowed.length} allowed, ${r.filesSearched} file(s) searched, ${r.skipped.length} skipped`];
  const routine = new Map<string, GrepReport['skipped'][number][]>();
  for (const s of r.skipped) {
    if (!opts.showSkipped && ROUTINE_SKIPS.has(s.reason)) routine.set(s.reason, [...(routine.get(s.reason) ?? []), s]);
    else out.push(`  skipped ${s.file}: ${s.reason} (${s.detail})`);
  }
  for (const [reason, skips] of routine) {
    const named = skips.slice(0, ROUTINE_EXAMPLES).map((s) => s.file).join(', ');
    const more = skips.length > ROUTINE_EXAMPLES ? `, … and ${skips.length - ROUTINE_EXAMPLES} more` : '';
    out.push(`  skipped ${skips.length} ${reason} file(s): ${named}${more}${more ? ' (all: --show-skipped)' : ''}`);
  }
  for (const n of r.notes) out.push(`  note: ${n}`);
  return out.join('\n') + '\n';
}

function hitLine(h: GrepHit): string {
  return `${h.file}:${h.line}:${h.column}: ${h.text}`;
}

/** The report as JSON (the same object the gate and the action consume). */
export function formatGrepJson(r: GrepReport): string {
  return JSON.stringify(r, null, 2) + '\n';
}

/**
 * SARIF 2.1.0 (GitHub code scanning): counting hits are results at level `error`; allowed hits
 * are results with a `suppressions` entry (kind `inSource` for the marker, `external` for a
 * glob), which is how SARIF says "seen and accepted".
 */
export function formatGrepSarif(r: GrepReport, ruleId = 'shipgate/audit-grep'): string {
  const result = (h: GrepHit) => ({
    ruleId,
    level: 'error',
    message: { text: `matches ${JSON.stringify(r.pattern)}: ${h.text.trim().slice(0, 200)}` },
    locations: [{ physicalLocation: { artifactLocation: { uri: sarifUri(h.file) }, region: { startLine: h.line, startColumn: utf16Column(h) } } }],
    ...(h.allowed
      ? { suppressions: [{ kind: h.allowed.by === 'marker' ? 'inSource' : 'external', justification: h.allowed.reason ?? `allowed by ${h.allowed.by} ${h.allowed.rule}` }] }
      : {}),
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'shipgate', informationUri: 'https://github.com/shipgate/shipgate', rules: [{ id: ruleId, shortDescription: { text: `audit pattern ${r.pattern}` } }] } },
        // SARIF has no byte columns; its default unit is UTF-16 code units, which startColumn uses.
        columnKind: 'utf16CodeUnits',
        results: [...r.hits.map(result), ...r.allowed.map(result)],
        invocations: [
          {
            // False when files could not be searched whole: the results are then incomplete.
            executionSuccessful: incompleteSkips(r.skipped).length === 0,
            toolExecutionNotifications: r.skipped.map((s) => ({ level: 'warning', message: { text: `skipped ${s.file}: ${s.reason} (${s.detail})` } })),
          },
        ],
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

/**
 * A displayed path as a SARIF URI reference: percent-encoded (a space, a newline or `#` would
 * otherwise change what it names), relative as is, or a `file://` URI when absolute.
 */
function sarifUri(file: string): string {
  if (isAbsolute(file)) return pathToFileURL(file).href;
  return file.split('/').map(encodeURIComponent).join('/');
}

/** The 1-based column in UTF-16 code units (ours are bytes, as rg's): the same for ASCII. */
function utf16Column(h: GrepHit): number {
  const bytes = Buffer.from(h.text);
  return bytes.subarray(0, h.column - 1).toString('utf8').length + 1;
}
