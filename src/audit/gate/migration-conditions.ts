import { existsSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { UserError } from '../../core/errors.js';
import { git, refExists } from '../../release/git-history.js';
import type { MigrationClassInput } from '../../release/suggest-version.js';
import type { MigrationsConfig } from '../../runbook/schema.js';
import type { GateCondition } from './gate-condition.js';

/**
 * The migration analyzer seam (issue #4): classifies changed migration files. Until the analyzer
 * is wired in, the gate gets none and reports breaking-ness as unmeasured.
 */
export type ClassifyMigrations = (files: readonly string[], repoTop: string) => Promise<readonly MigrationClassInput[]>;

export interface MigrationGateOptions {
  /** Repository working directory. */
  readonly cwd: string;
  /** The runbook's directory (migrations.dir and plan files are relative to it). */
  readonly runbookDir: string;
  readonly migrations: MigrationsConfig | undefined;
  readonly base: string;
  readonly classify?: ClassifyMigrations;
}

/**
 * Files changed on this branch (`git diff --name-only BASE...HEAD`), relative to the repo root.
 * @throws UserError SG_GATE_NO_BASE (exit 2) when BASE is not a commit here: the usual cause is a
 * clone without that remote branch (a shallow CI checkout, or no `origin/main`), not a broken repo.
 */
export async function listChangedFiles(cwd: string, base: string): Promise<string[]> {
  if (!(await refExists(cwd, base))) {
    const remote = /^([^/]+)\/(.+)$/.exec(base);
    const fetch = remote ? `git fetch ${remote[1]} ${remote[2]}` : 'git fetch --all';
    throw new UserError('SG_GATE_NO_BASE', `the base ref ${base} does not exist in this repository, so the files this branch changed cannot be listed`, `pass the branch the PR merges into (shipgate gate --base <ref>, e.g. --base main), or fetch it first (${fetch}; in GitHub Actions check out with fetch-depth: 0)`);
  }
  // -z: without it git quotes a name with non-ASCII bytes ("db/migrations/002_\303\251.sql"),
  // which then matches no directory, and a changed migration would go unseen.
  const r = await git(cwd, ['diff', '-z', '--name-only', `${base}...HEAD`]);
  return r.stdout.split('\0').filter(Boolean);
}

/** Conditions on migrations: plan and rollback plan present, breaking ones staged. */
export async function checkMigrationConditions(opts: MigrationGateOptions): Promise<GateCondition[]> {
  const m = opts.migrations;
  if (!m) return [{ id: 'migration-plan', title: 'Migration plan', status: 'not-applicable', expected: 'plans when migrations change', measured: 'the runbook declares no migrations' }];
  const top = (await git(opts.cwd, ['rev-parse', '--show-toplevel'])).stdout.trim();
  const dirFromTop = relative(top, resolve(opts.runbookDir, m.dir)).split(sep).join('/');
  const changed = (await listChangedFiles(opts.cwd, opts.base)).filter((f) => f === dirFromTop || f.startsWith(dirFromTop + '/'));
  if (!changed.length) {
    return [{ id: 'migration-plan', title: 'Migration plan', status: 'not-applicable', expected: 'plans when migrations change', measured: `no file under ${dirFromTop}/ changed since ${opts.base}` }];
  }
  const out: GateCondition[] = [];
  const planFile = (id: 'migration-plan' | 'rollback-plan', title: string): GateCondition => {
    const file = m.require?.[id];
    if (!file) {
      return { id, title, status: 'unmet', expected: `a ${title.toLowerCase()} file`, measured: `${changed.length} migration(s) changed and migrations.require.${id} is not set`, how: `add migrations.require.${id}: <file> to the runbook and commit that plan` };
    }
    const ok = existsSync(resolve(opts.runbookDir, file));
    return {
      id,
      title,
      status: ok ? 'met' : 'unmet',
      expected: `${file} exists`,
      measured: ok ? `${file} present` : `${file} missing (${changed.length} migration(s) changed)`,
      ...(ok ? {} : { how: `write ${file} and commit it with this PR`, annotations: changed.map((f) => ({ file: f, line: 1, message: `migration changed but ${file} is missing` })) }),
    };
  };
  out.push(planFile('migration-plan', 'Migration plan'), planFile('rollback-plan', 'Rollback plan'));
  out.push(await checkBreaking(opts, m, changed, top));
  return out;
}

async function checkBreaking(opts: MigrationGateOptions, m: MigrationsConfig, changed: string[], top: string): Promise<GateCondition> {
  const title = 'Breaking migrations have a staged plan';
  if (m.require && m.require['breaking-plan'] === false) return { id: 'breaking-plan', title, status: 'not-applicable', expected: 'n/a', measured: 'migrations.require.breaking-plan is false' };
  if (!opts.classify) {
    return { id: 'breaking-plan', title, status: 'unmeasured', expected: 'no breaking migration without rollout: staged + plan', measured: 'no migration analyzer is available to classify the changed migrations', how: 'classify them with `shipgate migrations lint` (issue #4), or declare `rollout: staged` with a plan file' };
  }
  const classes = await opts.classify(changed, top);
  // Unclassified migrations are not proven safe: they need the staged plan like breaking ones.
  const breaking = classes.filter((c) => c.class === 'breaking' || c.class === 'unknown');
  if (!breaking.length) return { id: 'breaking-plan', title, status: 'met', expected: 'no breaking migration without a staged plan', measured: `${classes.length} classified, none breaking` };
  const staged = m.rollout === 'staged' && m.plan !== undefined && existsSync(resolve(opts.runbookDir, m.plan));
  return {
    id: 'breaking-plan',
    title,
    status: staged ? 'met' : 'unmet',
    expected: 'rollout: staged and the plan file present',
    measured: `${breaking.length} breaking or unclassified: ${breaking.map((b) => `${b.migration} (${b.class})`).join(', ')}; ${staged ? `staged plan ${m.plan} present` : m.rollout !== 'staged' ? 'rollout is not staged' : `plan ${m.plan ?? '(unset)'} missing`}`,
    ...(staged ? {} : { how: 'set migrations.rollout: staged and migrations.plan: <file> describing the expand/contract steps, and commit the plan', annotations: breaking.map((b) => ({ file: b.migration, line: 1, message: 'breaking migration without a staged rollout plan' })) }),
  };
}
