/**
 * The dialect-neutral operations every front end (Postgres AST, node-sql-parser AST, Alembic
 * op.* calls) reduces statements to. Rules judge operations, so one rule serves every input.
 */
export type ConstraintKind = 'primary' | 'unique' | 'foreign' | 'check' | 'other';
export type DmlVerb = 'insert' | 'update' | 'delete' | 'truncate';

export type Op =
  | { readonly op: 'noop' }
  | { readonly op: 'create-table'; readonly table: string }
  | { readonly op: 'create-other'; readonly what: string }
  | { readonly op: 'drop-table'; readonly table: string }
  | { readonly op: 'drop-column'; readonly table: string; readonly column: string }
  | { readonly op: 'rename-table'; readonly table: string; readonly to: string }
  | { readonly op: 'rename-column'; readonly table: string; readonly column: string; readonly to: string }
  | {
      readonly op: 'add-column';
      readonly table: string;
      readonly column: string;
      readonly notNull: boolean;
      readonly hasDefault: boolean;
      /** Name of a volatile function used as default, if any. */
      readonly volatileDefault?: string;
      readonly primaryKey?: boolean;
      readonly unique?: boolean;
    }
  | { readonly op: 'alter-type'; readonly table: string; readonly column: string; readonly type: string; readonly narrowing: boolean }
  | { readonly op: 'set-not-null'; readonly table: string; readonly column: string }
  | { readonly op: 'drop-not-null'; readonly table: string; readonly column: string }
  | { readonly op: 'drop-default'; readonly table: string; readonly column: string }
  | { readonly op: 'set-default'; readonly table: string; readonly column: string }
  | { readonly op: 'create-index'; readonly table: string; readonly name: string; readonly unique: boolean; readonly concurrently: boolean }
  | { readonly op: 'drop-index'; readonly name: string; readonly concurrently: boolean }
  | { readonly op: 'add-constraint'; readonly table: string; readonly name: string; readonly kind: ConstraintKind; readonly notValid: boolean }
  | { readonly op: 'drop-constraint'; readonly table: string; readonly name: string; readonly kind: ConstraintKind }
  | { readonly op: 'drop-type'; readonly name: string }
  | { readonly op: 'rename-type'; readonly name: string; readonly to: string }
  | { readonly op: 'enum-add-value'; readonly name: string; readonly value: string }
  | { readonly op: 'enum-rename-value'; readonly name: string; readonly from: string; readonly to: string }
  | { readonly op: 'drop-other'; readonly what: string; readonly name: string }
  | { readonly op: 'dml'; readonly verb: DmlVerb; readonly table: string }
  | {
      readonly op: 'table-rebuild';
      readonly table: string;
      readonly via: string;
      /** True when the column changes are not visible (raw SQL rebuild: the old definition is unknown). */
      readonly hidesChanges: boolean;
    }
  | { readonly op: 'opaque'; readonly reason: string; readonly rule?: 'opaque-statement' | 'unknown-operation' }
  | { readonly op: 'parse-error'; readonly message: string };

/** Lower-cased, unquoted identifier for comparing names across statements. */
export function normalizeName(name: string): string {
  return name.replace(/["`[\]]/g, '').toLowerCase();
}

/** Bounded target types: a change to one of these may not fit existing values. */
export function isBoundedType(type: string): boolean {
  const t = type.toLowerCase();
  return /\b(varchar|character varying|char|character|nvarchar|varbinary|bit)\s*\(\s*\d+/.test(t)
    || /\b(numeric|decimal)\s*\(\s*\d+/.test(t)
    || /^(smallint|int2|tinyint|int|int4|integer|mediumint|real|float4|boolean|bool)$/.test(t.trim());
}
