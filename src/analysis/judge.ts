import { RULES, type RuleName } from './rules.js';
import { unreachable } from '../core/unreachable.js';
import { worseClass, type Dialect, type Finding, type MigrationClass, type SourceLocation } from './types.js';
import { normalizeName, type Op } from './ops.js';

/** What a statement's judgement may depend on: earlier statements of the same migration. */
export interface JudgeContext {
  readonly dialect: Dialect;
  /** Tables created earlier in this migration (normalised): no old version uses them yet. */
  readonly createdTables: ReadonlySet<string>;
}

export interface Judgement {
  readonly class: MigrationClass;
  readonly findings: Finding[];
}

/** Optional extras attached to every finding of a statement. */
export interface FindingExtras {
  readonly guarded?: boolean;
  readonly condition?: string;
}

/** Build a finding from the catalogue. */
export function makeFinding(rule: RuleName, at: SourceLocation, reason: string, extras: FindingExtras = {}): Finding {
  const spec = RULES[rule];
  const f: Finding = { rule, axis: spec.axis, severity: spec.severity, class: spec.class, file: at.file, line: at.line, col: at.col, reason, safe: spec.safe };
  return extras.guarded ? { ...f, guarded: true, condition: extras.condition ?? '' } : f;
}

/**
 * Judge one operation on the three axes. Returns the statement's class (the worst of its base
 * class and its findings) and the findings.
 */
export function judgeOp(op: Op, at: SourceLocation, ctx: JudgeContext, extras: FindingExtras = {}): Judgement {
  const out: Finding[] = [];
  const hit = (rule: RuleName, reason: string): void => void out.push(makeFinding(rule, at, reason, extras));
  const isNew = (table: string): boolean => ctx.createdTables.has(normalizeName(table));
  let base: MigrationClass = 'additive';
  switch (op.op) {
    case 'noop':
      base = 'none';
      break;
    case 'create-table':
    case 'create-other':
    case 'enum-add-value':
    case 'set-default':
      break;
    case 'drop-table':
      hit('drop-table', `drops table ${op.table}`);
      break;
    case 'drop-column':
      if (!isNew(op.table)) hit('drop-column', `drops column ${op.table}.${op.column}`);
      break;
    case 'rename-table':
      if (!isNew(op.table)) hit('rename-table', `renames table ${op.table} to ${op.to}`);
      break;
    case 'rename-column':
      if (!isNew(op.table)) hit('rename-column', `renames column ${op.table}.${op.column} to ${op.to}`);
      break;
    case 'add-column':
      if (isNew(op.table)) break;
      if (op.notNull && !op.hasDefault) hit('add-required-column', `adds NOT NULL column ${op.table}.${op.column} without a default`);
      if (op.volatileDefault) hit('volatile-default', `column ${op.table}.${op.column} defaults to volatile ${op.volatileDefault}()`);
      if (op.primaryKey) hit('primary-key-change', `adds primary key column ${op.table}.${op.column}`);
      else if (op.unique) hit('unique-on-existing-column', `adds UNIQUE column ${op.table}.${op.column}`);
      break;
    case 'alter-type':
      if (isNew(op.table)) break;
      hit('change-column-type', `changes type of ${op.table}.${op.column} to ${op.type}`);
      if (ctx.dialect === 'postgres') hit('type-change-rewrite', `type change of ${op.table}.${op.column} may rewrite ${op.table} under an exclusive lock`);
      if (op.narrowing) hit('narrowing-type', `${op.type} is bounded: existing values of ${op.table}.${op.column} may not fit`);
      break;
    case 'set-not-null':
      if (!isNew(op.table)) hit('set-not-null', `sets ${op.table}.${op.column} NOT NULL`);
      break;
    case 'drop-not-null':
      if (!isNew(op.table)) hit('drop-not-null', `drops NOT NULL of ${op.table}.${op.column}`);
      break;
    case 'drop-default':
      if (!isNew(op.table)) hit('drop-default', `drops the default of ${op.table}.${op.column}`);
      break;
    case 'create-index':
      if (isNew(op.table)) break;
      if (op.unique) hit('unique-on-existing-column', `unique index ${op.name} on existing table ${op.table}`);
      if (ctx.dialect === 'postgres' && !op.concurrently) hit('index-not-concurrent', `index ${op.name} on ${op.table} is built without CONCURRENTLY`);
      break;
    case 'drop-index':
      // Postgres and Prisma name unique indexes `<table>_<cols>_key`: dropping one removes a uniqueness guarantee.
      if (/_key"?$/i.test(op.name)) hit('unique-constraint-change', `drops unique index ${op.name}`);
      if (ctx.dialect === 'postgres' && !op.concurrently) hit('drop-index-not-concurrent', `drops index ${op.name} without CONCURRENTLY`);
      break;
    case 'add-constraint':
      if (isNew(op.table)) break;
      if (op.kind === 'primary') hit('primary-key-change', `adds primary key ${op.name} to ${op.table}`);
      if (op.kind === 'unique') {
        hit('unique-constraint-change', `adds unique constraint ${op.name} to ${op.table}`);
        hit('unique-on-existing-column', `unique constraint ${op.name} on existing rows of ${op.table}`);
      }
      if ((op.kind === 'foreign' || op.kind === 'check') && !op.notValid && ctx.dialect === 'postgres') {
        hit('constraint-not-valid', `${op.kind === 'foreign' ? 'foreign key' : 'check'} ${op.name} on ${op.table} is validated under lock (no NOT VALID)`);
      }
      break;
    case 'drop-constraint':
      if (isNew(op.table)) break;
      if (op.kind === 'primary') hit('primary-key-change', `drops primary key ${op.name} of ${op.table}`);
      if (op.kind === 'unique') hit('unique-constraint-change', `drops unique constraint ${op.name} of ${op.table}`);
      break;
    case 'drop-type':
      hit('drop-type', `drops type ${op.name}`);
      break;
    case 'rename-type':
      hit('rename-type', `renames type ${op.name} to ${op.to}`);
      break;
    case 'enum-rename-value':
      hit('rename-enum-value', `renames value '${op.from}' of ${op.name} to '${op.to}'`);
      break;
    case 'drop-other':
      hit('drop-object', `drops ${op.what} ${op.name}`);
      break;
    case 'dml':
      if (op.verb === 'insert') break;
      if (op.verb === 'update') hit('update-rows', `updates rows of ${op.table}`);
      if (op.verb === 'delete') hit('delete-rows', `deletes rows of ${op.table}`);
      if (op.verb === 'truncate') hit('truncate-table', `truncates ${op.table}`);
      break;
    case 'table-rebuild':
      hit('sqlite-table-rebuild', `rebuilds table ${op.table} (${op.via})`);
      if (op.hidesChanges) hit('opaque-statement', `the rebuild of ${op.table} may drop or change columns: the old definition is not in the migration`);
      break;
    case 'opaque':
      hit(op.rule ?? 'opaque-statement', op.reason);
      break;
    case 'parse-error':
      hit('parse-error', op.message);
      break;
    default:
      return unreachable(op);
  }
  let cls: MigrationClass = base;
  for (const f of out) cls = worseClass(cls, f.class);
  return { class: cls, findings: out };
}

