import type * as z from 'zod';
import { didYouMean, suggestion } from './did-you-mean.js';
import type { Finding } from './rules/rule.js';
import { formatPath, type DataPath } from './yaml-locate.js';
import { valueAt } from '../core/value-at.js';

/** The parts of a zod 4 issue used here (zod's own type is a wide union; this is what we read). */
interface Issue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly expected?: string;
  readonly keys?: readonly string[];
  readonly values?: readonly unknown[];
  readonly errors?: readonly (readonly Issue[])[];
  readonly origin?: string;
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
}

export interface ZodFindingOptions {
  /** The schema that was checked, for the "did you mean" of unknown keys. */
  readonly schema: z.ZodType;
  /** The value that was checked. */
  readonly value: unknown;
  /** Where that value sits in the runbook. */
  readonly base: DataPath;
  /** Leave out issues about values this accepts (action inputs: `${{ }}` strings). */
  readonly skip?: (value: unknown) => boolean;
}

/** Turns zod issues into findings with stable codes: unknown-key, missing-key, wrong-type, invalid-value. */
export function findingsFromZod(issues: readonly Issue[], opts: ZodFindingOptions): Finding[] {
  const out: Finding[] = [];
  for (const issue of issues) mapIssue(issue, [], opts, out);
  // `enviroments:` is reported as an unknown key with "did you mean environments"; saying that
  // `environments` is missing as well would be the same mistake twice.
  const suggested = new Set(out.filter((f) => f.code === 'unknown-key').map((f) => suggestedPath(f, opts.schema, opts.base)));
  return out.filter((f) => f.code !== 'missing-key' || !suggested.has(JSON.stringify(f.path)));
}

function suggestedPath(f: Finding, schema: z.ZodType, base: DataPath): string {
  const parent = f.path.slice(0, -1);
  const key = String(f.path[f.path.length - 1]);
  const s = didYouMean(key, keysAt(schema, parent.slice(base.length)));
  return s === undefined ? '' : JSON.stringify([...parent, s]);
}

function mapIssue(issue: Issue, rel: DataPath, opts: ZodFindingOptions, out: Finding[]): void {
  const relPath = [...rel, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
  const path = [...opts.base, ...relPath];
  const value = valueAt(opts.value, relPath);
  if (opts.skip?.(value)) return;
  const where = formatPath(path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = keysAt(opts.schema, relPath);
      for (const key of issue.keys ?? []) {
        out.push({
          code: 'unknown-key',
          path: [...path, key],
          at: 'key',
          message: `unknown key "${key}" ${inPath(path)}${suggestion(key, allowed)}`,
          hint: `allowed here: ${allowed.join(', ')}`,
        });
      }
      return;
    }
    case 'invalid_type':
      out.push(typeFinding(path, value, [issue.expected ?? 'a value']));
      return;
    case 'invalid_union': {
      const branches = issue.errors ?? [];
      const rootTypeOnly = (b: readonly Issue[]) => b.length === 1 && b[0]!.code === 'invalid_type' && b[0]!.path.length === 0;
      if (branches.length > 0 && branches.every(rootTypeOnly)) {
        out.push(typeFinding(path, value, branches.map((b) => b[0]!.expected ?? 'a value')));
        return;
      }
      // The branch whose shape matches (no type error at its root), with the fewest problems.
      const fitting = branches.filter((b) => !b.some((i) => i.code === 'invalid_type' && i.path.length === 0));
      const best = [...(fitting.length > 0 ? fitting : branches)].sort((a, b) => a.length - b.length)[0];
      if (!best) break;
      for (const i of best) mapIssue(i, relPath, opts, out);
      return;
    }
    case 'invalid_value': {
      const values = issue.values ?? [];
      const hint = typeof value === 'string' ? suggestion(value, values.map(String)) : '';
      const list = values.map((v) => JSON.stringify(v)).join(', ');
      out.push({ code: 'invalid-value', path, message: `${where}: expected ${values.length === 1 ? list : `one of ${list}`}, got ${show(value)}${hint}` });
      return;
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const n = Number(small ? issue.minimum : issue.maximum);
      const what =
        issue.origin === 'array' ? `${small ? 'at least' : 'at most'} ${n} item${n === 1 ? '' : 's'}` : issue.origin === 'string' ? (small && n === 1 ? 'not be empty' : `${small ? 'at least' : 'at most'} ${n} characters`) : `${small ? 'at least' : 'at most'} ${n}`;
      out.push({ code: 'invalid-value', path, message: `${where}: must ${issue.origin === 'array' ? 'have ' : issue.origin === 'string' ? '' : 'be '}${what}, got ${show(value)}` });
      return;
    }
    default:
      break;
  }
  const said = cleanMessage(issue.message);
  out.push({ code: 'invalid-value', path, message: `${where}: ${/^an? /.test(said) ? `expected ${said}` : said}, got ${show(value)}` });
}

function typeFinding(path: DataPath, value: unknown, expected: readonly string[]): Finding {
  const parent = path.slice(0, -1);
  const last = path[path.length - 1];
  if (value === undefined && typeof last === 'string') {
    return { code: 'missing-key', path, at: 'key', message: `missing required key "${last}" ${inPath(parent)}` };
  }
  const names = [...new Set(expected.map(typeName))];
  return { code: 'wrong-type', path, message: `${formatPath(path)}: expected ${names.join(' or ')}, got ${show(value)}` };
}

const inPath = (path: DataPath) => (path.length === 0 ? 'at the top level' : `in ${formatPath(path)}`);

function typeName(t: string): string {
  switch (t) {
    case 'object':
    case 'record':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'string':
      return 'a string';
    case 'number':
    case 'int':
      return 'a number';
    case 'boolean':
      return 'true or false';
    default:
      return t;
  }
}

/** A short rendering of the offending value for a message. */
export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null (empty)';
  if (Array.isArray(v)) return v.length === 0 ? 'an empty list' : `a list of ${v.length}`;
  if (typeof v === 'object') return Object.keys(v).length === 0 ? 'an empty mapping' : 'a mapping';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

// zod's default messages start with "Invalid input: "/"Invalid string: "; custom ones (our regex
// messages in schema.ts) are already sentences.
const cleanMessage = (m: string) => m.replace(/^Invalid (input|string|option): /, '');


// ---- walking a zod schema to list the keys allowed at a path (for "did you mean") ----

// zod 4 keeps a schema's structure in `_zod.def`; reading it is the documented way to introspect.
type Def = { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType; valueType?: z.ZodType; innerType?: z.ZodType; in?: z.ZodType; options?: z.ZodType[] };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(s: z.ZodType): z.ZodType[] {
  const d = defOf(s);
  if (d.innerType) return unwrap(d.innerType);
  if (d.type === 'pipe' && d.in) return unwrap(d.in);
  if (d.type === 'union' && d.options) return d.options.flatMap(unwrap);
  return [s];
}

function child(s: z.ZodType, seg: string | number): z.ZodType[] {
  const d = defOf(s);
  if (d.type === 'object' && typeof seg === 'string' && d.shape?.[seg]) return [d.shape[seg]];
  if (d.type === 'array' && d.element) return [d.element];
  if (d.type === 'record' && d.valueType) return [d.valueType];
  return [];
}

/** The keys an object schema at `path` allows (several if a union has several object branches). */
export function keysAt(schema: z.ZodType, path: DataPath): string[] {
  let nodes = unwrap(schema);
  for (const seg of path) nodes = nodes.flatMap((n) => child(n, seg)).flatMap(unwrap);
  return [...new Set(nodes.flatMap((n) => Object.keys(defOf(n).shape ?? {})))];
}
