import type { Expect } from '../runbook/schema.js';
import type { ProcessEnd } from './process/run-process.js';

export type Verdict = { readonly passed: true; readonly summary: string } | { readonly passed: false; readonly summary: string };

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Tests every output line against the `expect` patterns as it streams by. Only the first 8 MiB
 * of a stream is kept in memory, so a forbidden line after that must still be seen here (a
 * migration that prints 10 MB of progress and then `ERROR` must fail). Patterns that span lines
 * are still tested against the kept text by judgeProcess.
 */
export class StreamExpectations {
  private readonly rules: Array<{ stream: 'stdout' | 'stderr'; pattern: string; re: RegExp; forbidden: boolean }> = [];
  private readonly lines = { stdout: 0, stderr: 0 };
  readonly matched = new Set<string>();
  violation: { stream: 'stdout' | 'stderr'; pattern: string; line: number; text: string } | undefined;

  constructor(expect: Expect | null) {
    for (const stream of ['stdout', 'stderr'] as const) {
      for (const pattern of list(expect?.[stream])) this.rules.push({ stream, pattern, re: new RegExp(pattern), forbidden: false });
      for (const pattern of list(expect?.[`${stream}-not`])) this.rules.push({ stream, pattern, re: new RegExp(pattern), forbidden: true });
    }
  }

  onLine(stream: 'stdout' | 'stderr', text: string): void {
    const line = ++this.lines[stream];
    for (const r of this.rules) {
      if (r.stream !== stream || !r.re.test(text)) continue;
      if (!r.forbidden) this.matched.add(`${stream}\u0000${r.pattern}`);
      else this.violation ??= { stream, pattern: r.pattern, line, text };
    }
  }
}

/**
 * Judges a finished command by its exit code AND its output (DESIGN.md §1: scripts in the seed
 * projects print a failure and exit 0). Every pattern is a regex with the `m` flag, so `^` and
 * `$` anchor at lines. The summary names the first thing that failed, with the offending line.
 */
export function judgeProcess(end: ProcessEnd, expect: Expect | null, timeoutMs: number, streamed?: StreamExpectations): Verdict {
  switch (end.reason) {
    case 'timed-out':
      return { passed: false, summary: `timed out after ${Math.round(timeoutMs / 1000)}s; the process tree was killed` };
    case 'aborted':
      return { passed: false, summary: 'interrupted; the process tree was killed' };
    case 'not-started':
      return { passed: false, summary: 'interrupted before its command started (the start gate was never opened): nothing ran' };
    case 'spawn-failed':
      return { passed: false, summary: `could not start: ${end.message}` };
    case 'exited':
      break;
  }
  const accepted = expect?.['exit-codes'] ?? [0];
  if (!accepted.includes(end.exitCode)) {
    const last = lastLine(end.stderr) ?? lastLine(end.stdout);
    return {
      passed: false,
      summary: `exit code ${end.exitCode} (expected ${accepted.join(' or ')})${last ? `; last output: ${truncate(last)}` : ''}`,
    };
  }
  const v = streamed?.violation;
  if (v) return { passed: false, summary: `${v.stream} matched forbidden /${v.pattern}/ at line ${v.line}: ${truncate(v.text)}` };
  for (const stream of ['stdout', 'stderr'] as const) {
    const text = end[stream];
    for (const p of list(expect?.[stream])) {
      if (streamed?.matched.has(`${stream}\u0000${p}`)) continue;
      if (!new RegExp(p, 'm').test(text)) return { passed: false, summary: `${stream} did not match /${p}/ (exit code ${end.exitCode})` };
    }
    for (const p of list(expect?.[`${stream}-not`])) {
      const m = new RegExp(p, 'm').exec(text);
      if (m) {
        const line = text.slice(0, m.index).split('\n').length;
        return { passed: false, summary: `${stream} matched forbidden /${p}/ at line ${line}: ${truncate(lineAt(text, m.index))}` };
      }
    }
  }
  return { passed: true, summary: `exit code ${end.exitCode}${expect ? ', output as expected' : ''}` };
}

function lastLine(text: string): string | undefined {
  const lines = text.trimEnd().split('\n');
  const l = lines[lines.length - 1];
  return l ? l : undefined;
}

function lineAt(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index) + 1;
  const end = text.indexOf('\n', index);
  return text.slice(start, end === -1 ? undefined : end);
}

const truncate = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}…` : s);
