import { readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { didYouMean } from '../../runbook/did-you-mean.js';
import type { GrepReport } from './types.js';

/** The given paths that do not exist. */
export const missingPaths = (r: GrepReport): string[] => r.skipped.filter((s) => s.reason === 'missing').map((s) => s.file);

/** `frontend does not exist under /repo` — the cause, for the CLI error and the step summary. */
export function missingPathsMessage(missing: readonly string[], cwd: string): string {
  return `${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist under ${cwd}`;
}

/**
 * What to run instead: the same search over the paths that exist, with a near name in place of
 * a misspelt one (`frontnd` → `frontend`).
 */
export function missingPathsHint(pattern: string, given: readonly string[], missing: readonly string[], cwd: string): string {
  const fixed: string[] = [];
  const meant: string[] = [];
  for (const p of given) {
    const near = missing.includes(p) ? nearName(p, cwd) : p;
    if (near !== undefined && near !== p) meant.push(`${p}: did you mean ${near}?`);
    if (near !== undefined && !fixed.includes(near)) fixed.push(near);
  }
  if (!fixed.length) return `pass a file or folder that exists (e.g. . for everything here): shipgate audit grep ${shellWord(pattern)} .`;
  return `${meant.length ? `${meant.join(' ')} ` : ''}search only paths that exist: shipgate audit grep ${shellWord(pattern)} ${fixed.map(shellWord).join(' ')}`;
}

function nearName(p: string, cwd: string): string | undefined {
  const abs = resolve(cwd, p);
  let names: string[];
  try {
    names = readdirSync(dirname(abs));
  } catch {
    return undefined;
  }
  const near = didYouMean(basename(abs), names);
  return near === undefined ? undefined : join(dirname(p), near);
}

const shellWord = (s: string): string => (/^[\w./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
