import type { Node } from 'web-tree-sitter';

/** Positional and keyword arguments of a call, as syntax nodes. */
export interface CallArgs {
  readonly positional: Node[];
  readonly keyword: Map<string, Node>;
}

export function callArgs(call: Node): CallArgs {
  const positional: Node[] = [];
  const keyword = new Map<string, Node>();
  for (const a of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (!a) continue;
    if (a.type === 'keyword_argument') {
      const name = a.childForFieldName('name')?.text;
      const value = a.childForFieldName('value');
      if (name && value) keyword.set(name, value);
    } else if (a.type !== 'comment') positional.push(a);
  }
  return { positional, keyword };
}

/**
 * The value of a string literal (plain, triple-quoted, implicit concatenation, `op.f("x")`,
 * `sa.text("x")`), or null when it is computed (f-string with fields, variable, expression).
 */
export function stringValue(n: Node | null | undefined): string | null {
  if (!n) return null;
  if (n.type === 'string') {
    if (n.namedChildren.some((c) => c?.type === 'interpolation')) return null;
    const raw = n.namedChildren.filter((c) => c?.type === 'string_content').map((c) => c!.text).join('');
    const prefix = /^[A-Za-z]*/.exec(n.text)?.[0].toLowerCase() ?? '';
    return prefix.includes('r') ? raw : unescapePython(raw);
  }
  if (n.type === 'concatenated_string') {
    const parts = n.namedChildren.map((c) => stringValue(c));
    return parts.every((p) => p !== null) ? parts.join('') : null;
  }
  if (n.type === 'parenthesized_expression') return stringValue(n.namedChildren[0]);
  if (n.type === 'call') {
    const fn = n.childForFieldName('function')?.text ?? '';
    if (/(^|\.)(f|text|quoted_name)$/.test(fn)) return stringValue(callArgs(n).positional[0]);
    // sa.text("…").bindparams(…) / .columns(…): the SQL is the text's.
    const f = n.childForFieldName('function');
    if (f?.type === 'attribute' && /^(bindparams|columns|execution_options)$/.test(f.childForFieldName('attribute')?.text ?? '')) return stringValue(f.childForFieldName('object'));
  }
  return null;
}

function unescapePython(s: string): string {
  return s.replace(/\\(n|t|r|\\|'|"|\n)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '\n': '' })[c] ?? c);
}

/** `True`/`False`/`None` literal, or undefined when it is something else. */
export function pyConstant(n: Node | undefined): boolean | null | undefined {
  if (!n) return undefined;
  if (n.type === 'true') return true;
  if (n.type === 'false') return false;
  if (n.type === 'none') return null;
  return undefined;
}

/** The type text of `sa.String(length=20)` → `String(20)`; used for narrowing checks. */
export function pyTypeText(n: Node | undefined): string {
  if (!n) return '?';
  const t = n.text.replace(/^(sa|sqlalchemy|postgresql|mysql|sqlite)\./, '').replace(/\s+/g, '');
  return t.replace(/length=/, '');
}

/** SQLAlchemy types with a bound: String(n), Numeric(p,s), SmallInteger, Integer, Boolean. */
export function isBoundedPyType(t: string): boolean {
  return /^(String|VARCHAR|CHAR|Unicode|NVARCHAR)\(\d+/.test(t) || /^(Numeric|DECIMAL|NUMERIC)\(\d+/.test(t) || /^(SmallInteger|SMALLINT|Integer|INTEGER|Boolean|BOOLEAN)(\(\))?$/.test(t);
}
