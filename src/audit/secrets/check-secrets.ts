import picomatch from 'picomatch';
import type { EvidenceLog } from '../../actions/action.js';
import { formatDuration } from '../../core/duration.js';
import type { SecretSpec } from '../../runbook/schema.js';
import type { GrepSkip } from '../grep/types.js';
import type { Needle } from './find-in-buffer.js';
import { searchHistory } from './search-history.js';
import { searchTree } from './search-tree.js';
import { normalizeSecret, shannonEntropy, type NormalizedSecret } from './secret-spec.js';
import { lookupSecrets, type SourceOptions } from './secret-sources.js';
import { findLastRotation } from './rotation.js';

export type SecretCheckName = 'present' | 'min-length' | 'min-entropy' | 'forbid' | 'rotation' | 'exposed-tree' | 'exposed-history' | 'token-shape';

/** One finding. Never carries a value: only names, counts, positions. */
export interface SecretFinding {
  /** The secret's name; for token shapes, the shape id. */
  readonly secret: string;
  readonly check: SecretCheckName;
  /** `unmeasured` is never a pass: it says what could not be measured and why. */
  readonly status: 'passed' | 'failed' | 'unmeasured';
  readonly expected: string;
  readonly measured: string;
  readonly file?: string;
  readonly line?: number;
  readonly commit?: string;
}

export interface CheckSecretsOptions extends SourceOptions {
  readonly secrets: readonly SecretSpec[];
  /** Ledger for rotation age. Without it, rotation checks are unmeasured. */
  readonly evidence?: EvidenceLog;
  readonly clock: () => Date;
  /** Search the working tree for values and token shapes. Default: true. */
  readonly tree?: boolean;
  /** Search the git history. Default: true. */
  readonly history?: boolean;
  /** Look for token shapes (AWS keys, GitHub tokens, …) too. Default: true. */
  readonly shapes?: boolean;
  /** Globs of files whose token-shape hits are allowed (test fixtures, docs). Value hits are never allowed. */
  readonly allowFiles?: readonly string[];
}

export interface SecretsReport {
  readonly findings: readonly SecretFinding[];
  readonly skipped: readonly GrepSkip[];
  /** 'failed' if anything failed; else 'unmeasured' if anything could not be measured; else 'passed'. */
  readonly status: 'passed' | 'failed' | 'unmeasured';
  readonly history?: { readonly commits: number; readonly blobs: number; readonly bytes: number };
}

/**
 * Checks the runbook's secrets for one target: presence, length, entropy, forbidden values,
 * rotation age, and exposure in the working tree and the git history. Values are held in this
 * function's memory only; the report carries names, positions and numbers.
 */
export async function checkSecrets(opts: CheckSecretsOptions): Promise<SecretsReport> {
  const specs = opts.secrets.map(normalizeSecret);
  const lookups = await lookupSecrets(specs, opts);
  const findings: SecretFinding[] = [];
  const needles: Needle[] = [];
  for (const s of specs) {
    const l = lookups.get(s.name)!;
    const f = (check: SecretCheckName, status: SecretFinding['status'], expected: string, measured: string): void => void findings.push({ secret: s.name, check, status, expected, measured });
    if (l.kind === 'unmeasured') {
      f('present', 'unmeasured', `set (${l.from})`, l.reason);
    } else if (l.kind === 'missing') {
      f('present', s.required ? 'failed' : 'passed', s.required ? `set in ${l.from}` : 'optional', 'not set');
    } else if (l.kind === 'name-only') {
      f('present', 'passed', `set in ${l.from}`, 'listed');
      for (const [check, spec] of [['min-length', s.minLength], ['min-entropy', s.minEntropy]] as const) {
        if (spec !== undefined) f(check, 'unmeasured', `≥ ${spec}`, `${l.from} lists names only; check the value with --env-file or in the target`);
      }
    } else {
      f('present', 'passed', 'set', `set (${l.from})`);
      checkValue(s, l.value, f);
      needles.push({ name: s.name, bytes: Buffer.from(l.value) });
    }
    if (s.rotateEveryMs !== undefined) findings.push(await checkRotation(s, opts));
  }
  const skipped: GrepSkip[] = [];
  const shapes = opts.shapes ?? true;
  const allow = opts.allowFiles?.length ? picomatch([...opts.allowFiles], { dot: true }) : undefined;
  if (opts.tree ?? true) {
    const t = searchTree(opts.cwd, needles, { shapes, ...(allow ? { allowFiles: allow } : {}) });
    skipped.push(...t.skipped);
    for (const x of t.found) findings.push(exposure(x.kind === 'value' ? 'exposed-tree' : 'token-shape', x.what, x.file, x.line));
    if (!t.found.length) findings.push({ secret: '*', check: 'exposed-tree', status: 'passed', expected: `no value of ${needles.length} secret(s)${shapes ? ' and no token shape' : ''} in the working tree`, measured: `none in ${t.files} file(s)` });
  }
  let history: SecretsReport['history'];
  if (opts.history ?? true) {
    const h = await searchHistory(needles, { cwd: opts.cwd, shapes, ...(opts.signal ? { signal: opts.signal } : {}), ...(allow ? { allowFiles: allow } : {}) });
    if (!h.searched) findings.push({ secret: '*', check: 'exposed-history', status: 'unmeasured', expected: 'no secret in any commit', measured: h.reason });
    else {
      history = { commits: h.commits, blobs: h.blobs, bytes: h.bytes };
      for (const x of h.found) findings.push({ ...exposure(x.kind === 'value' ? 'exposed-history' : 'token-shape', x.what, x.file, x.line), ...(x.commit ? { commit: x.commit } : {}) });
      if (h.missing) findings.push({ secret: '*', check: 'exposed-history', status: 'unmeasured', expected: 'every blob of every commit searched', measured: `${h.missing} blob(s) are missing from this clone (partial or filtered clone) and were not searched` });
      if (!h.found.length) findings.push({ secret: '*', check: 'exposed-history', status: 'passed', expected: 'no secret value or token shape in any commit', measured: `none in ${h.blobs} blob(s) of ${h.commits} commit(s)` });
    }
  }
  const status = findings.some((x) => x.status === 'failed') ? 'failed' : findings.some((x) => x.status === 'unmeasured') ? 'unmeasured' : 'passed';
  return { findings, skipped, status, ...(history ? { history } : {}) };
}

function exposure(check: SecretCheckName, what: string, file: string, line: number): SecretFinding {
  return { secret: what, check, status: 'failed', expected: check === 'token-shape' ? 'no token of this shape committed' : 'the value appears nowhere in the repository', measured: `found at ${file}:${line}`, file, line };
}

/**
 * Length and entropy are measured, but a passing secret's exact figures are not written down:
 * findings go to the terminal, the ledger and artifacts, and a good secret's length narrows a
 * guess for nothing. A failing one's figures say how far off it is — it has to be replaced anyway.
 */
function checkValue(s: NormalizedSecret, value: string, f: (c: SecretCheckName, st: SecretFinding['status'], e: string, m: string) => void): void {
  const len = [...value].length;
  if (s.minLength !== undefined) {
    const ok = len >= s.minLength;
    f('min-length', ok ? 'passed' : 'failed', `≥ ${s.minLength} chars`, ok ? `at least ${s.minLength} chars` : `${len} chars`);
  }
  if (s.minEntropy !== undefined) {
    const h = shannonEntropy(value);
    const ok = h >= s.minEntropy;
    f('min-entropy', ok ? 'passed' : 'failed', `≥ ${s.minEntropy} bits/char`, ok ? `at least ${s.minEntropy} bits/char` : `${h.toFixed(2)} bits/char`);
  }
  const hit = s.forbid.indexOf(value);
  f('forbid', hit < 0 ? 'passed' : 'failed', `none of ${s.forbid.length} forbidden value(s)`, hit < 0 ? 'not forbidden' : `equals forbidden value #${hit + 1} (a known default)`);
}

async function checkRotation(s: NormalizedSecret, opts: CheckSecretsOptions): Promise<SecretFinding> {
  const expected = `rotated within ${s.rotateEvery}`;
  if (!opts.evidence) return { secret: s.name, check: 'rotation', status: 'unmeasured', expected, measured: 'no ledger available' };
  const last = await findLastRotation(opts.evidence, s.name);
  if (!last) return { secret: s.name, check: 'rotation', status: 'failed', expected, measured: `never recorded (run \`shipgate secrets rotated ${s.name}\` after rotating)` };
  const age = opts.clock().getTime() - Date.parse(last.at);
  return { secret: s.name, check: 'rotation', status: age <= s.rotateEveryMs! ? 'passed' : 'failed', expected, measured: `last rotated ${last.at} (${formatDuration(age)} ago)` };
}
