import { unreachable } from '../../core/unreachable.js';
import type { QuoteMode } from './context.js';

/**
 * Quotes a value so a shell reads it back as exactly one word with exactly these characters.
 *
 * - posix (bash, sh): single quotes, where nothing is special; a `'` becomes `'\''`.
 * - pwsh: single quotes, where only a quote is special; it is doubled. PowerShell also treats
 *   the typographic quotes ‘ ’ ‚ ‛ as single quotes, so those are doubled too.
 * - none: the value as is.
 */
export function shellQuote(value: string, mode: QuoteMode): string {
  switch (mode) {
    case 'posix':
      return `'${value.replace(/'/g, `'\\''`)}'`;
    case 'pwsh':
      return `'${value.replace(/['\u2018\u2019\u201A\u201B]/g, (q) => q + q)}'`;
    case 'none':
      return value;
    default:
      return unreachable(mode);
  }
}
