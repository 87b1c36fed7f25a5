/** `v` as it is written inside a JSON (or double-quoted dotenv) string: `"`, `\` and control characters escaped. */
export function asInJsonString(v: string): string {
  return JSON.stringify(v).slice(1, -1);
}

/** What replaces a secret value wherever it would be written. */
export const REDACTED = '***';
/** Shortest secret that is also redacted inside object keys (see Redactor.redactKey). */
export const KEY_MIN_SECRET = 6;

/**
 * Removes secret values from text and structured data before it is printed, stored, hashed or
 * written as an artifact. Redaction happens at the source (the engine owns one Redactor per run),
 * so no consumer of the event stream can leak a value by forgetting to redact.
 */
export class Redactor {
  private readonly values = new Set<string>();
  private pattern: RegExp | undefined;
  private keyPattern: RegExp | null | undefined;

  /** Registers secret values. Empty strings are ignored (they would match everywhere). */
  add(...values: Array<string | undefined>): this {
    for (const v of values) {
      if (!v) continue;
      this.values.add(v);
      // As it appears inside a JSON string (a "measured" value, a JSON log line): with `"` or `\`
      // escaped, the value itself no longer matches.
      const json = asInJsonString(v);
      if (json !== v) this.values.add(json);
      // Output is redacted line by line, so a multi-line secret (a PEM key) would never match
      // whole: each of its lines is a secret too. Very short lines ("-----", "}") are skipped.
      if (/[\r\n]/.test(v)) for (const line of v.split(/\r?\n/)) if (line.trim().length >= 6) this.values.add(line.trim());
    }
    this.pattern = undefined;
    this.keyPattern = undefined;
    return this;
  }

  get size(): number {
    return this.values.size;
  }

  redact(text: string): string {
    if (this.values.size === 0 || text.length === 0) return text;
    this.pattern ??= this.patternOf([...this.values])!;
    return text.replace(this.pattern, REDACTED);
  }

  /** One alternation of `secrets`, longest first (a secret containing another is replaced whole); null for none. */
  private patternOf(secrets: readonly string[]): RegExp | null {
    if (secrets.length === 0) return null;
    return new RegExp([...secrets].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
  }

  /** Deep-redacts strings inside plain data (objects, arrays); keys too, for secrets of KEY_MIN_SECRET+ characters. */
  redactData<T>(data: T): T {
    if (this.values.size === 0) return data;
    return this.walk(data) as T;
  }

  /**
   * Keys are redacted only for secrets of KEY_MIN_SECRET characters or more. Keys are mostly
   * field names (`actor`, `step`, `outputs`); a short secret (say `t`, in a test environment)
   * replaced inside them broke the records themselves — `actor` became `ac***or` — while a
   * secret short enough to sit inside a field name protects nothing by being hidden there.
   */
  private redactKey(k: string): string {
    if (this.keyPattern === undefined) this.keyPattern = this.patternOf([...this.values].filter((v) => v.length >= KEY_MIN_SECRET));
    return this.keyPattern ? k.replace(this.keyPattern, REDACTED) : k;
  }

  private walk(v: unknown): unknown {
    if (typeof v === 'string') return this.redact(v);
    if (Array.isArray(v)) return v.map((x) => this.walk(x));
    if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[this.redactKey(k)] = this.walk(x);
      return out;
    }
    return v;
  }
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
