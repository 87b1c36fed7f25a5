import type { EvidenceLog } from '../../actions/action.js';
import { formatDuration } from '../../core/duration.js';
import type { SecretSpec } from '../../runbook/schema.js';
import type { GrepSkip } from '../grep/types.js';
import type { Needle } from './find-in-buffer.js';
import { searchExposure, type ExposureOptions } from './search-exposure.js';
import type { SecretCheckName, SecretFinding } from './secret-finding.js';
import { KNOWN_DEFAULTS, normalizeSecret, shannonEntropy, type NormalizedSecret } from './secret-spec.js';
import { lookupSecrets, type SourceOptions } from './secret-sources.js';
import { findLastRotation } from './rotation.js';

export type { SecretCheckName, SecretFinding } from './secret-finding.js';

export interface CheckSecretsOptions extends SourceOptions, Omit<ExposureOptions, 'cwd' | 'signal'> {
  readonly secrets: readonly SecretSpec[];
  /** Ledger for rotation age. Without it, rotation checks are unmeasured. */
  readonly evidence?: EvidenceLog;
  readonly clock: () => Date;
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
  const exposed = await searchExposure(needles, opts);
  findings.push(...exposed.findings);
  const status = findings.some((x) => x.status === 'failed') ? 'failed' : findings.some((x) => x.status === 'unmeasured') ? 'unmeasured' : 'passed';
  return { findings, skipped: exposed.skipped, status, ...(exposed.history ? { history: exposed.history } : {}) };
}

/**
 * Length and entropy are measured, but a passing secret's exact figures are not written down:
 * findings go to the terminal, the ledger and artifacts, and a good secret's length narrows a
 * guess for nothing. A failing one's figures say how far off it is — it has to be replaced anyway.
 */
/** The built-in defaults, compared ignoring case (the runbook's own forbid values exactly). */
const KNOWN: ReadonlySet<string> = new Set(KNOWN_DEFAULTS);

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
  const lower = value.toLowerCase();
  const hit = s.forbid.findIndex((v) => v === value || (KNOWN.has(v) && v.toLowerCase() === lower));
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
