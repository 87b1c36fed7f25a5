import { UserError } from '../core/errors.js';

/**
 * Accepted HTTP statuses, written as `200`, `"2xx"`, `"404|302|403"`, `"200-299"` or a list.
 * Kept as a predicate plus its spelling, so results show what was expected as written.
 */
export interface StatusMatcher {
  readonly text: string;
  test(status: number): boolean;
}

export type StatusSpec = number | string | readonly (number | string)[];

/** Parses a status spec; a malformed one is a UserError naming `where`. */
export function parseStatusMatcher(spec: StatusSpec, where: string): StatusMatcher {
  const parts = (Array.isArray(spec) ? spec : String(spec).split(/[|,]/)).map((p) => String(p).trim()).filter(Boolean);
  if (parts.length === 0) throw bad(spec, where);
  const tests = parts.map((p): ((s: number) => boolean) => {
    if (/^\d{3}$/.test(p)) return (s) => s === Number(p);
    if (/^[1-5]xx$/i.test(p)) return (s) => Math.floor(s / 100) === Number(p[0]);
    const range = /^(\d{3})-(\d{3})$/.exec(p);
    if (range) return (s) => s >= Number(range[1]) && s <= Number(range[2]);
    throw bad(spec, where);
  });
  return { text: parts.join('|'), test: (s) => tests.some((t) => t(s)) };
}

function bad(spec: StatusSpec, where: string): UserError {
  return new UserError('SG_CHECK_BAD_STATUS', `${where}: "${String(spec)}" is not a status list`, 'write statuses like 200, "2xx", "404|302|403" or "200-299"');
}
