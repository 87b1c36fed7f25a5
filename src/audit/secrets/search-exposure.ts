import picomatch from 'picomatch';
import type { GrepSkip } from '../grep/types.js';
import type { Needle } from './find-in-buffer.js';
import { searchHistory } from './search-history.js';
import { searchTree } from './search-tree.js';
import type { SecretCheckName, SecretFinding } from './secret-finding.js';
import { asInJsonString } from '../../core/redact.js';

export interface ExposureOptions {
  readonly cwd: string;
  /** Search the working tree for values and token shapes. Default: true. */
  readonly tree?: boolean;
  /** Search the git history. Default: true. */
  readonly history?: boolean;
  /** Look for token shapes (AWS keys, GitHub tokens, …) too. Default: true. */
  readonly shapes?: boolean;
  /** Globs of files whose token-shape hits are allowed (test fixtures, docs). Value hits are never allowed. */
  readonly allowFiles?: readonly string[];
  readonly signal?: AbortSignal;
}

export interface ExposureReport {
  readonly findings: readonly SecretFinding[];
  readonly skipped: readonly GrepSkip[];
  readonly history?: { readonly commits: number; readonly blobs: number; readonly bytes: number };
}

/**
 * Where secrets could have leaked: the working tree and the git history, searched for the given
 * values (as bytes) and, with `shapes`, for token shapes. Shared by `secrets check` (values it
 * has just looked up) and the merge gate (values of every declared secret it can see), so both
 * judge exposure the same way.
 */
export async function searchExposure(needles: readonly Needle[], opts: ExposureOptions): Promise<ExposureReport> {
  const findings: SecretFinding[] = [];
  const skipped: GrepSkip[] = [];
  const shapes = opts.shapes ?? true;
  const allow = opts.allowFiles?.length ? picomatch([...opts.allowFiles], { dot: true }) : undefined;
  const forms = needles.flatMap(writtenForms);
  if (opts.tree ?? true) {
    const t = searchTree(opts.cwd, forms, { shapes, ...(allow ? { allowFiles: allow } : {}) });
    skipped.push(...t.skipped);
    for (const x of t.found) findings.push(exposure(x.kind === 'value' ? 'exposed-tree' : 'token-shape', x.what, x.file, x.line));
    if (!t.found.length) findings.push({ secret: '*', check: 'exposed-tree', status: 'passed', expected: `no value of ${needles.length} secret(s)${shapes ? ' and no token shape' : ''} in the working tree`, measured: `none in ${t.files} file(s)` });
  }
  let history: ExposureReport['history'];
  if (opts.history ?? true) {
    const h = await searchHistory(forms, { cwd: opts.cwd, shapes, ...(opts.signal ? { signal: opts.signal } : {}), ...(allow ? { allowFiles: allow } : {}) });
    if (!h.searched) findings.push({ secret: '*', check: 'exposed-history', status: 'unmeasured', expected: 'no secret in any commit', measured: h.reason });
    else {
      history = { commits: h.commits, blobs: h.blobs, bytes: h.bytes };
      for (const x of h.found) findings.push({ ...exposure(x.kind === 'value' ? 'exposed-history' : 'token-shape', x.what, x.file, x.line), ...(x.commit ? { commit: x.commit } : {}) });
      if (h.shallow) findings.push({ secret: '*', check: 'exposed-history', status: 'unmeasured', expected: 'every commit searched', measured: 'this is a shallow clone (git clone --depth, or actions/checkout without fetch-depth: 0): the commits before its cut-off are not here and were not searched' });
      if (h.missing) findings.push({ secret: '*', check: 'exposed-history', status: 'unmeasured', expected: 'every blob of every commit searched', measured: `${h.missing} blob(s) are missing from this clone (partial or filtered clone) and were not searched` });
      if (!h.found.length) findings.push({ secret: '*', check: 'exposed-history', status: 'passed', expected: 'no secret value or token shape in any commit', measured: `none in ${h.blobs} blob(s) of ${h.commits} commit(s)` });
    }
  }
  return { findings, skipped, ...(history ? { history } : {}) };
}

/**
 * A value as it can be written in a file: as is, and escaped as inside a double-quoted dotenv
 * or JSON string (`\\`, `\"`, `\n`), which is how a committed `.env` with such a value holds it.
 */
function writtenForms(n: Needle): Needle[] {
  const text = n.bytes.toString('utf8');
  const escaped = asInJsonString(text);
  return escaped === text ? [n] : [n, { name: n.name, bytes: Buffer.from(escaped) }];
}

function exposure(check: SecretCheckName, what: string, file: string, line: number): SecretFinding {
  return { secret: what, check, status: 'failed', expected: check === 'token-shape' ? 'no token of this shape committed' : 'the value appears nowhere in the repository', measured: `found at ${file}:${line}`, file, line };
}
