/** ANSI styling that disappears when colour is off (NO_COLOR, not a TTY, TERM=dumb). */
export interface Style {
  readonly green: (s: string) => string;
  readonly red: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly bold: (s: string) => string;
  readonly cyan: (s: string) => string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

export function makeStyle(color: boolean): Style {
  if (!color) {
    const id = (s: string) => s;
    return { green: id, red: id, yellow: id, dim: id, bold: id, cyan: id };
  }
  return { green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22), cyan: wrap(36, 39) };
}

/** One symbol per step status, readable without colour too. */
export const SYMBOL: Record<string, string> = {
  pending: '·',
  running: '▸',
  passed: '✓',
  failed: '✗',
  'failed-continued': '!',
  skipped: '-',
  waiting: '⏸',
  rejected: '✗',
  interrupted: '⨯',
};
