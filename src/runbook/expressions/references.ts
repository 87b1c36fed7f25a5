import type { ExprAst } from './ast.js';
import { parseExpression } from './parse.js';
import { scanTemplate } from './template.js';

/** A context path an expression reads, e.g. `steps.backup.outputs.id` → root `steps`, path `[backup, outputs, id]`. */
export interface ExpressionReference {
  readonly root: string;
  readonly path: string[];
  /** Offset of the root name in the template (or in the bare expression). */
  readonly offset: number;
}

/**
 * Every context path read by the `${{ }}` expressions of a template. Expressions that do not
 * parse are skipped (the validator reports them as bad-expression separately).
 */
export function findReferences(template: string): ExpressionReference[] {
  const scanned = scanTemplate(template);
  if (!scanned.ok) return [];
  return scanned.value.flatMap((seg) => (seg.kind === 'expr' ? findExpressionReferences(seg.src, seg.offset) : []));
}

/** The references of one bare expression; `base` is added to every offset. */
export function findExpressionReferences(src: string, base = 0): ExpressionReference[] {
  const ast = parseExpression(src);
  return ast.ok ? referencesOfAst(ast.value, base) : [];
}

/** The references of a parsed expression; `base` is added to every offset. */
export function referencesOfAst(ast: ExprAst, base = 0): ExpressionReference[] {
  const out: ExpressionReference[] = [];
  collect(ast, base, out);
  return out;
}

function collect(node: ExprAst, base: number, out: ExpressionReference[]): void {
  switch (node.type) {
    case 'literal':
      return;
    case 'ident':
      out.push({ root: node.name, path: [], offset: base + node.offset });
      return;
    case 'member': {
      const chain = memberChain(node);
      if (chain) {
        out.push({ root: chain.root.name, path: chain.path, offset: base + chain.root.offset });
        for (const p of chain.dynamic) collect(p, base, out);
        return;
      }
      collect(node.object, base, out);
      collect(node.property, base, out);
      return;
    }
    case 'not':
      collect(node.operand, base, out);
      return;
    case 'binary':
      collect(node.left, base, out);
      collect(node.right, base, out);
      return;
    case 'call':
      for (const a of node.args) collect(a, base, out);
      return;
  }
}

/** `a.b['c'].d` → root a, path [b, c, d]; the path stops at the first computed (non-literal) key. */
function memberChain(node: ExprAst): { root: { name: string; offset: number }; path: string[]; dynamic: ExprAst[] } | null {
  const props: ExprAst[] = [];
  let cur = node;
  while (cur.type === 'member') {
    props.unshift(cur.property);
    cur = cur.object;
  }
  if (cur.type !== 'ident') return null;
  const path: string[] = [];
  const dynamic: ExprAst[] = [];
  for (const p of props) {
    if (dynamic.length === 0 && p.type === 'literal' && p.value !== null && typeof p.value !== 'boolean') path.push(String(p.value));
    else dynamic.push(p);
  }
  return { root: { name: cur.name, offset: cur.offset }, path, dynamic };
}
