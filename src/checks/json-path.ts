/**
 * A deliberately small JSON path: `a.b.c`, `items[0].id`, `$.a` or `$` for the root, and
 * `["key with dots"]`. Hand-written because assertions only need member/index access, and a full
 * JSONPath library would accept filters whose meaning users would then have to learn.
 */
export type PathSegment = string | number;

/** Parses a path; returns an error message for a malformed one. */
export function parseJsonPath(path: string): PathSegment[] | string {
  let s = path.trim();
  if (s.startsWith('$')) s = s.slice(1);
  const out: PathSegment[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '.') {
      i++;
      continue;
    }
    if (c === '[') {
      const end = s.indexOf(']', i);
      if (end < 0) return `unclosed "[" in path "${path}"`;
      const inner = s.slice(i + 1, end).trim();
      if (/^\d+$/.test(inner)) out.push(Number(inner));
      else if (/^(["']).*\1$/.test(inner)) out.push(inner.slice(1, -1));
      else return `"[${inner}]" in path "${path}" is neither an index nor a quoted key`;
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < s.length && s[j] !== '.' && s[j] !== '[') j++;
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

/** Reads a value at a parsed path; `found` is false when a member is missing. */
export function readJsonPath(root: unknown, path: readonly PathSegment[]): { found: boolean; value: unknown } {
  let cur: unknown = root;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!Array.isArray(cur) || seg >= cur.length) return { found: false, value: undefined };
      cur = cur[seg];
    } else {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, seg)) return { found: false, value: undefined };
      cur = (cur as Record<string, unknown>)[seg];
    }
  }
  return { found: true, value: cur };
}
