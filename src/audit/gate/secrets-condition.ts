import { resolve } from 'node:path';
import { SecretsWithSchema } from '../../actions/audit/schemas.js';
import { git } from '../../release/git-history.js';
import type { Runbook } from '../../runbook/schema.js';
import { searchExposure, type ExposureOptions } from '../secrets/search-exposure.js';
import { MIN_SEARCHED_SECRET, declaredSecretValues } from './declared-secret-values.js';
import type { GateAnnotation, GateCondition } from './gate-condition.js';
import { stepsUsing } from './steps-using.js';

export interface SecretsConditionOptions {
  readonly runbookDir: string;
  /** The gate's process environment: one of the places declared secrets' values are read from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Search the git history. */
  readonly history: boolean;
  readonly signal?: AbortSignal;
}

const TITLE = 'Secrets not exposed';

/**
 * Exposure of secrets, in CI form: the values of the runbook's declared secrets (every environment)
 * that the gate can see, and token shapes, searched in the working tree and the history. Runs with
 * the `with:` of each `secrets/check` step, or — when the runbook has none but declares secrets —
 * once over the whole repository with `secrets check`'s defaults: a committed secret must not pass
 * the gate because nobody added a step. Presence, strength and rotation need the target's
 * environment and ledger, so they are left to `shipgate run` / `shipgate secrets check`.
 */
export async function checkSecretExposure(rb: Runbook, opts: SecretsConditionOptions): Promise<GateCondition> {
  const steps = stepsUsing(rb, ['secrets/check']);
  const values = await declaredSecretValues(rb, opts.runbookDir, opts.env);
  if (!steps.length && !values.declared.length) {
    return { id: 'secrets', title: TITLE, status: 'not-applicable', expected: 'no secret exposure', measured: 'the runbook declares no secrets and has no secrets/check step' };
  }
  const problems: string[] = [];
  const annotations: GateAnnotation[] = [];
  const searches: Array<{ label: string; options: ExposureOptions }> = [];
  for (const s of steps) {
    const parsed = SecretsWithSchema.safeParse(s.with ?? {});
    if (!parsed.success) {
      problems.push(`${s.id}: invalid with: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      continue;
    }
    const w = parsed.data;
    searches.push({ label: `${s.id}: `, options: { cwd: resolve(opts.runbookDir, s.cwd ?? rb.defaults?.cwd ?? '.'), tree: w.tree, history: w.history && opts.history, shapes: w.shapes, allowFiles: w['allow-files'], ...(opts.signal ? { signal: opts.signal } : {}) } });
  }
  if (!steps.length) searches.push({ label: '', options: { cwd: await repositoryTop(opts.runbookDir), history: opts.history, ...(opts.signal ? { signal: opts.signal } : {}) } });
  const summary: string[] = [];
  let exposed = false; // something found, not only something that could not be searched
  for (const { label, options } of searches) {
    const r = await searchExposure(values.needles, options);
    for (const f of r.findings) {
      const commit = f.commit ? ` in commit ${f.commit.slice(0, 12)}` : '';
      if (f.status === 'failed') {
        exposed = true;
        problems.push(`${label}${f.check} ${f.secret} ${f.measured}${commit}`);
        if (f.file) annotations.push({ file: f.file, line: f.line ?? 1, message: `${f.check}: ${f.secret}${commit}` });
      } else if (f.status === 'unmeasured') problems.push(`${label}${f.check} unmeasured: ${f.measured}`);
      else summary.push(`${label}${f.check}: ${f.measured}`);
    }
  }
  const searchedFor = values.needles.length ? `values of ${values.needles.map((n) => n.name).join(', ')}` : 'no declared value';
  const blind =
    (values.withoutValue.length ? `; no value visible here for ${values.withoutValue.join(', ')} (token shapes only)` : '') +
    (values.tooShort.length ? `; not searched, shorter than ${MIN_SEARCHED_SECRET} characters: ${values.tooShort.join(', ')} (see shipgate secrets check)` : '');
  return {
    id: 'secrets',
    title: TITLE,
    status: problems.length ? 'unmet' : 'met',
    expected: `no declared secret's value and no token shape in the working tree${opts.history ? ' or history' : ''}`,
    measured: problems.length ? problems.join('; ') : `${searchedFor}: ${summary.join('; ')}${blind}`,
    ...(problems.length
      ? {
          how: !exposed
            ? 'search the whole history: run the gate in a full clone of the repository (in GitHub Actions: actions/checkout with fetch-depth: 0), or turn the history search off deliberately with --no-history'
            : 'a committed secret is compromised: rotate it (`shipgate secrets gen`, then `shipgate secrets rotated NAME`), stop tracking the file (`git rm --cached FILE`, list it in .gitignore) and purge it from history (git filter-repo); a token-shape hit in a test fixture can be allowed with a `secrets/check` step\'s `allow-files`',
          annotations,
        }
      : {}),
  };
}

/** The repository's top folder (the tree search then covers all of it); outside git, the runbook's folder. */
async function repositoryTop(dir: string): Promise<string> {
  const r = await git(dir, ['rev-parse', '--show-toplevel'], { allowFail: true });
  return r.exitCode === 0 && r.stdout.trim() ? r.stdout.trim() : dir;
}
