import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { SourcePos } from './diagnostic.js';

/** A path into the runbook data: map keys and list indexes, e.g. `['phases', 0, 'steps', 2, 'run']`. */
export type DataPath = readonly (string | number)[];

/** `phases[0].steps[2].run`, for messages. */
export function formatPath(path: DataPath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out === '' ? '(top level)' : out;
}

interface Located {
  /** The deepest node found along the path (the value at the path when `exact`). */
  readonly node: Node | null;
  /** The key of the last map entry followed, when the last segment was a map key. */
  readonly key: Node | null;
  /** True when the whole path resolved. */
  readonly exact: boolean;
}

/** Follows a data path through the YAML tree (through aliases), as far as it goes. */
export function locate(doc: Document, path: DataPath): Located {
  let node: Node | null = (doc.contents as Node | null) ?? null;
  let key: Node | null = null;
  for (const seg of path) {
    if (node && isAlias(node)) node = (node.resolve(doc) as Node | undefined) ?? null;
    if (node && isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg));
      if (!pair) return { node, key, exact: false };
      key = (pair.key as Node | null) ?? null;
      // `key:` with nothing after it has a null value node: point at the key then.
      node = (pair.value as Node | null) ?? key;
      continue;
    }
    if (node && isSeq(node) && typeof seg === 'number' && node.items[seg]) {
      node = node.items[seg] as Node;
      key = null;
      continue;
    }
    return { node, key, exact: false };
  }
  return { node, key, exact: true };
}

/** Converts offsets to 1-based line/column positions. */
export function posAt(lc: LineCounter, offset: number): SourcePos {
  const p = lc.linePos(offset);
  return { line: p.line, col: p.col };
}

/**
 * Where, in the source, offset `valueOffset` of a string scalar's VALUE is. Exact for plain and
 * quoted scalars without escapes and for lines of block scalars; otherwise the scalar's start.
 */
export function scalarOffset(text: string, node: Node, valueOffset: number): number {
  const range = node.range;
  if (!range) return 0;
  const value = isScalar(node) && typeof node.value === 'string' ? node.value : null;
  if (value === null) return range[0];
  const src = text.slice(range[0], range[1]);
  const whole = src.indexOf(value);
  if (whole >= 0) return range[0] + whole + valueOffset;
  // Multi-line (block or folded) scalar: find the line the offset falls on.
  const before = value.slice(0, valueOffset);
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = value.indexOf('\n', lineStart);
  const line = value.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  const at = line.length > 0 ? src.indexOf(line) : -1;
  return at >= 0 ? range[0] + at + (valueOffset - lineStart) : range[0];
}
