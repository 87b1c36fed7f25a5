import type { CheckRecord } from '../core/check-record.js';
/**
 * The common shape of every check's verdict. A check never passes by default: when it could not
 * measure (refused, DNS, TLS, timeout, …) it fails and names the `cause`.
 */

/** Why a check could not measure. A closed union keyed by `reason` (STYLE.md: failures are data). */
export type MeasureFailure =
  | { readonly reason: 'timeout'; readonly message: string }
  | { readonly reason: 'refused'; readonly message: string }
  | { readonly reason: 'dns'; readonly message: string }
  | { readonly reason: 'tls'; readonly message: string; readonly code?: string }
  | { readonly reason: 'reset'; readonly message: string }
  | { readonly reason: 'too-large'; readonly message: string }
  | { readonly reason: 'redirect-loop'; readonly message: string }
  | { readonly reason: 'too-many-redirects'; readonly message: string }
  | { readonly reason: 'aborted'; readonly message: string }
  | { readonly reason: 'protocol'; readonly message: string }
  | { readonly reason: 'auth'; readonly message: string }
  | { readonly reason: 'command'; readonly message: string }
  | { readonly reason: 'browser'; readonly message: string }
  | { readonly reason: 'other'; readonly message: string };

export type MeasureFailureReason = MeasureFailure['reason'];

/** One judged fact: what was expected, what was measured, and the verdict. */
export type CheckItem = CheckRecord;

/** The verdict of one check run. */
export interface CheckResult {
  /** `http`, `routes`, `https-only`, `tcp`, `postgres`, `redis`, `browser`. */
  readonly kind: string;
  /** What was checked, without secrets (a URL without credentials, host:port, …). */
  readonly target: string;
  readonly passed: boolean;
  /** One line: what was measured and, when failing, why. */
  readonly summary: string;
  readonly items: readonly CheckItem[];
  /** Set when the check could not measure; then `passed` is false. */
  readonly cause?: MeasureFailure;
  /** Wall time of the whole check, including retries. */
  readonly ms: number;
  /** Attempts made (more than one with `retryFor`). */
  readonly attempts?: number;
  /** Files produced (browser screenshots). The caller decides where they are kept. */
  readonly files?: readonly CheckFile[];
}

export interface CheckFile {
  readonly name: string;
  readonly mediaType: string;
  readonly content: Uint8Array;
}

/** What every check receives besides its own options. */
export interface CheckEnv {
  /** Aborts the check promptly; an aborted check fails with cause `aborted`. */
  readonly signal?: AbortSignal;
  /** Wall clock for timestamps and deadlines. Default: `() => new Date()`. Latency uses a monotonic timer. */
  readonly clock?: () => Date;
}

/** Builds an item. */
export function item(name: string, passed: boolean, expected?: string, measured?: string, extra?: Partial<CheckItem>): CheckItem {
  return { name, passed, ...(expected !== undefined && { expected }), ...(measured !== undefined && { measured }), ...extra };
}

/** Summarises items: the first failing one names why, else a count. */
export function summarize(kind: string, target: string, items: readonly CheckItem[], cause?: MeasureFailure): string {
  if (cause) return `${kind} ${target}: could not measure (${cause.reason}): ${cause.message}`;
  const failed = items.filter((i) => !i.passed);
  if (items.length === 0) return `${kind} ${target}: nothing was measured`;
  if (failed.length === 0) return `${kind} ${target}: ${items.length}/${items.length} passed`;
  const f = failed[0]!;
  const more = failed.length > 1 ? ` (+${failed.length - 1} more failing)` : '';
  return `${kind} ${target}: ${f.name}: expected ${f.expected ?? '?'}, measured ${f.measured ?? 'nothing'}${more}`;
}

/** Assembles a result. `passed` requires at least one item, every item passing, and no cause. */
export function finishResult(
  kind: string,
  target: string,
  items: readonly CheckItem[],
  ms: number,
  extra: { cause?: MeasureFailure; attempts?: number; files?: readonly CheckFile[] } = {},
): CheckResult {
  const passed = !extra.cause && items.length > 0 && items.every((i) => i.passed);
  return { kind, target, passed, summary: summarize(kind, target, items, extra.cause), items, ms: Math.round(ms), ...extra };
}
