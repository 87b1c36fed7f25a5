/** One assignment in a dotenv file, with where it is. */
export interface DotenvEntry {
  readonly key: string;
  readonly value: string;
  /** 1-based line of the key. */
  readonly line: number;
}

export interface DotenvProblem {
  readonly line: number;
  readonly message: string;
}

/**
 * Parses a dotenv file keeping line numbers. Hand-written because `dotenv.parse` returns only
 * a key → value object, and every finding here must say `file:line`. The syntax follows dotenv's:
 * `KEY=value`, optional `export `, `#` comments (after whitespace in unquoted values), single
 * quotes (literal), double quotes (`\n`, `\r`, `\t`, `\"`, `\\` escapes, may span lines),
 * backticks (literal, may span lines). A later assignment of the same key wins, as in dotenv.
 * Lines that are not assignments are reported, not ignored.
 */
export function parseDotenv(text: string): { entries: DotenvEntry[]; problems: DotenvProblem[] } {
  const entries: DotenvEntry[] = [];
  const problems: DotenvProblem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]\s?(.*)$/.exec(raw);
    if (!m) {
      // The line is not quoted back: a malformed line may hold a secret value.
      problems.push({ line: lineNo, message: "not a KEY=value line" });
      continue;
    }
    const key = m[1]!;
    let rest = m[2]!.trimStart();
    const q = rest[0];
    if (q === '"' || q === "'" || q === '`') {
      // Find the closing quote, possibly on a later line.
      let body = rest.slice(1);
      let close = findClose(body, q);
      let j = i;
      while (close < 0 && j + 1 < lines.length) {
        j++;
        body += '\n' + lines[j]!;
        close = findClose(body, q);
      }
      if (close < 0) {
        problems.push({ line: lineNo, message: `${key}: the ${q} quote opened here is never closed` });
        entries.push({ key, value: rest, line: lineNo });
        continue;
      }
      let value = body.slice(0, close);
      if (q === '"') value = value.replace(/\\([nrt"\\])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' })[c]!);
      // After the closing quote only a comment may follow: `B='it's'` ends at `it`, and the `s'`
      // left over means the value is not what its author wrote (loaders differ on it).
      const after = body.slice(close + 1).split('\n')[0]!;
      if (after.trim() !== '' && !/^\s+#/.test(after)) problems.push({ line: lineNo, message: `${key}: text after the closing ${q} quote; quote the whole value (use the other quote character inside)` });
      entries.push({ key, value, line: lineNo });
      i = j;
      continue;
    }
    const hash = rest.search(/\s#/);
    if (hash >= 0) rest = rest.slice(0, hash);
    entries.push({ key, value: rest.trim(), line: lineNo });
  }
  return { entries, problems };
}

function findClose(body: string, q: string): number {
  for (let k = 0; k < body.length; k++) {
    if (body[k] === '\\' && q === '"') {
      k++;
      continue;
    }
    if (body[k] === q) return k;
  }
  return -1;
}

/** The last assignment of each key (dotenv's precedence), with its line. */
export function indexDotenv(entries: readonly DotenvEntry[]): Map<string, DotenvEntry> {
  const map = new Map<string, DotenvEntry>();
  for (const e of entries) map.set(e.key, e);
  return map;
}
