/** What replaces a secret value wherever it would be written. */
export const REDACTED = '***';

/**
 * Removes secret values from text and structured data before it is printed, stored, hashed or
 * written as an artifact. Redaction happens at the source (the engine owns one Redactor per run),
 * so no consumer of the event stream can leak a value by forgetting to redact.
 */
export class Redactor {
  private readonly values = new Set<string>();
  private pattern: RegExp | undefined;

  /** Registers secret values. Empty strings are ignored (they would match everywhere). */
  add(...values: Array<string | undefined>): this {
    for (const v of values) {
      if (!v) continue;
      this.values.add(v);
      // Output is redacted line by line, so a multi-line secret (a PEM key) would never match
      // whole: each of its lines is a secret too. Very short lines ("-----", "}") are skipped.
      if (/[\r\n]/.test(v)) for (const line of v.split(/\r?\n/)) if (line.trim().length >= 6) this.values.add(line.trim());
    }
    this.pattern = undefined;
    return this;
  }

  get size(): number {
    return this.values.size;
  }

  redact(text: string): string {
    if (this.values.size === 0 || text.length === 0) return text;
    this.pattern ??= new RegExp(
      // Longest first, so a secret containing another secret is replaced whole.
      [...this.values].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'),
      'g',
    );
    return text.replace(this.pattern, REDACTED);
  }

  /** Deep-redacts strings inside plain data (objects, arrays); keys are redacted too. */
  redactData<T>(data: T): T {
    if (this.values.size === 0) return data;
    return this.walk(data) as T;
  }

  private walk(v: unknown): unknown {
    if (typeof v === 'string') return this.redact(v);
    if (Array.isArray(v)) return v.map((x) => this.walk(x));
    if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[this.redact(k)] = this.walk(x);
      return out;
    }
    return v;
  }
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
