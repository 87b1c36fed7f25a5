/** A position in a source file, 1-based (as editors show it). */
export interface SourcePos {
  readonly line: number;
  readonly col: number;
}

/**
 * One problem found in a file. Printed as `FILE:LINE:COL: error CODE message` (gcc style, so
 * editors and CI annotate it), with an optional hint on the next line.
 */
export interface Diagnostic {
  readonly file: string;
  readonly pos: SourcePos;
  /** End of the offending span, for underlining. */
  readonly end?: SourcePos;
  readonly severity: 'error' | 'warning';
  /** Stable rule code, e.g. `unknown-key`, `needs-cycle`. */
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const head = `${d.file}:${d.pos.line}:${d.pos.col}: ${d.severity} ${d.code} ${d.message}`;
  return d.hint ? `${head}\n  hint: ${d.hint}` : head;
}
