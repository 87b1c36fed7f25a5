import { readFile, stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { compilePattern, toRegExp } from '../grep/compile-pattern.js';
import type { EnvAssertion, EnvFinding } from './env-assertions.js';
import { indexDotenv, parseDotenv, type DotenvEntry } from './parse-dotenv.js';

export interface AuditEnvOptions {
  readonly cwd: string;
  /** The dotenv file, relative to cwd. */
  readonly file: string;
  readonly assertions: readonly EnvAssertion[];
  /** Keys whose values are never shown, as with `sensitive: true`: the runbook's declared secrets. */
  readonly sensitiveKeys?: ReadonlySet<string>;
}

export interface EnvReport {
  readonly file: string;
  readonly findings: readonly EnvFinding[];
  readonly passed: boolean;
}

/**
 * Checks assertions against a dotenv file and reports each with `file:line`. Syntax problems in
 * the file are findings too (a line we cannot read could hide a value).
 *
 * @throws UserError SG_AUDIT_ENV_UNREADABLE when the file (or a `differs-from` file) cannot be read.
 */
export async function auditEnv(opts: AuditEnvOptions): Promise<EnvReport> {
  const display = opts.file;
  const { entries, problems } = parseDotenv(await readDotenv(opts.cwd, opts.file));
  const index = indexDotenv(entries);
  const findings: EnvFinding[] = problems.map((p) => ({ key: '-', check: 'syntax', passed: false, expected: 'KEY=value', measured: p.message, file: display, line: p.line }));
  const others = new Map<string, Map<string, DotenvEntry>>();
  for (const a of opts.assertions) {
    const e = index.get(a.key);
    const at = (ok: boolean, check: EnvFinding['check'], expected: string, measured: string, line = e?.line ?? 0): EnvFinding => ({ key: a.key, check, passed: ok, expected, measured, file: display, line });
    // A declared secret is sensitive whatever the assertion says: a failing regex must not print it.
    const hidden = a.sensitive || (opts.sensitiveKeys?.has(a.key) ?? false);
    const show = (v: string) => (hidden ? '(value hidden)' : JSON.stringify(v));
    if (a.unset) {
      findings.push(at(!e, 'unset', 'not set', e ? `set at line ${e.line}${hidden ? '' : ` to ${show(e.value)}`}` : 'not set'));
      continue;
    }
    if (!e) {
      if (a.required ?? true) findings.push(at(false, 'present', 'set', 'not set', 0));
      continue;
    }
    if (a.equals !== undefined) findings.push(at(e.value === a.equals, 'equals', show(a.equals), show(e.value)));
    if (a.regex !== undefined) {
      const re = toRegExp(compilePattern(a.regex));
      findings.push(at(re.test(e.value), 'regex', `matches /${a.regex}/`, show(e.value)));
    }
    if (a.port) {
      const n = Number(e.value);
      const ok = /^\d+$/.test(e.value) && n >= 1 && n <= 65535;
      findings.push(at(ok, 'port', 'a port number 1-65535', show(e.value)));
    }
    if (a['differs-from'] !== undefined) {
      const other = a['differs-from'];
      if (!others.has(other)) others.set(other, indexDotenv(parseDotenv(await readDotenv(opts.cwd, other)).entries));
      const o = others.get(other)!.get(a.key);
      // Values are compared in memory only; neither is ever shown.
      const same = o !== undefined && o.value === e.value;
      findings.push(at(!same, 'differs-from', `differs from ${other}${o ? `:${o.line}` : ''}`, o === undefined ? `${other} does not set it` : same ? `same value as ${other}:${o.line}` : 'differs'));
    }
  }
  return { file: display, findings, passed: findings.every((f) => f.passed) };
}

async function readDotenv(cwd: string, file: string): Promise<string> {
  const abs = resolve(cwd, file);
  try {
    const st = await stat(abs);
    if (!st.isFile()) throw new Error(`${st.isDirectory() ? 'a directory' : 'not a regular file'}, not a dotenv file`);
    return await readFile(abs, 'utf8');
  } catch (e) {
    throw new UserError('SG_AUDIT_ENV_UNREADABLE', `cannot read dotenv file ${relative(cwd, abs) || file}: ${(e as Error).message}`, `check the path given to audit/env (with: file) or --file`);
  }
}

/** `file:line: KEY check: expected …, measured …` per failing finding. */
export function formatEnvReport(r: EnvReport): string {
  return (
    r.findings
      .map((f) => `${f.file}:${f.line}: ${f.passed ? 'ok  ' : 'FAIL'} ${f.key} ${f.check}: expected ${f.expected}, measured ${f.measured}`)
      .join('\n') + '\n'
  );
}
