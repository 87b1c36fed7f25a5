import path from 'node:path';
import type { LoadedRunbook } from '../../runbook/loaded-runbook.js';
import type { MigrationsConfig } from '../../runbook/schema.js';
import { UserError } from '../../core/errors.js';
import type { Dialect, MigrationTool } from '../../analysis/types.js';

/** The runbook's `migrations:` block with paths made absolute and defaults applied. */
export interface ResolvedMigrations {
  readonly tool: MigrationTool;
  /** Absolute migrations folder. */
  readonly dir: string;
  readonly dialect: Dialect;
  /** Absolute working directory for apply/status commands. Default: the runbook's folder. */
  readonly cwd: string;
  /** The runbook's folder: base of plan paths and of reported file paths. */
  readonly base: string;
  /** Where `dir` came from, for error messages: "migrations.dir in shipgate.yml". */
  readonly origin: string;
  readonly apply?: string;
  readonly rollout: 'direct' | 'staged';
  /** Absolute plan path when `plan:` is set. */
  readonly plan?: string;
  readonly require: {
    readonly breakingPlan: boolean;
    readonly migrationPlan?: string;
    readonly rollbackPlan?: string;
    readonly approvalRole?: string;
  };
  readonly config: MigrationsConfig;
}

/** Resolve the block; a runbook without one is a user error naming the fix. */
export function resolveMigrations(loaded: LoadedRunbook): ResolvedMigrations {
  const m = loaded.runbook.migrations;
  if (!m) {
    throw new UserError('SG_MIGRATIONS_NOT_CONFIGURED', `${loaded.path}: no \`migrations:\` block`, 'add `migrations: { tool: prisma|alembic|sql, dir: … }` to the runbook (see docs/migrations.md)');
  }
  const base = loaded.dir;
  const db = loaded.runbook.data?.database?.kind;
  const r = m.require;
  return {
    tool: m.tool,
    dir: path.resolve(base, m.dir),
    dialect: m.dialect ?? db ?? 'postgres',
    cwd: path.resolve(base, m.cwd ?? '.'),
    base,
    origin: `migrations.dir in ${path.relative(base, loaded.path) || loaded.path}`,
    ...(m.apply ? { apply: m.apply } : {}),
    rollout: m.rollout ?? 'direct',
    ...(m.plan ? { plan: path.resolve(base, m.plan) } : {}),
    require: {
      breakingPlan: r?.['breaking-plan'] ?? true,
      ...(r?.['migration-plan'] ? { migrationPlan: path.resolve(base, r['migration-plan']) } : {}),
      ...(r?.['rollback-plan'] ? { rollbackPlan: path.resolve(base, r['rollback-plan']) } : {}),
      ...(r?.['approval-role'] ? { approvalRole: r['approval-role'] } : {}),
    },
    config: m,
  };
}
