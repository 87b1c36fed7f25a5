import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { execa } from 'execa';
import { parseDotenv, indexDotenv } from '../env/parse-dotenv.js';
import type { NormalizedSecret } from './secret-spec.js';

/** Where a secret was looked for and what was learnt. The value stays inside this module's callers. */
export type SecretLookup =
  | { readonly kind: 'value'; readonly value: string; readonly from: string }
  | { readonly kind: 'name-only'; readonly from: string }
  | { readonly kind: 'missing'; readonly from: string }
  | { readonly kind: 'unmeasured'; readonly from: string; readonly reason: string };

export interface SourceOptions {
  readonly cwd: string;
  /** The target's environment (for `source: env`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The dotenv file, relative to cwd; undefined when there is none. */
  readonly dotenvFile?: string;
  /** Environment for provider commands (PATH etc.). Default: `env`. */
  readonly commandEnv?: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
  /** Default: 60s. */
  readonly commandTimeoutMs?: number;
}

/**
 * Resolves each secret from its source. Provider commands (e.g. `fly secrets list -a APP`) are
 * run once each and only the first word of each output line is kept, as a name: their values
 * (digests, dates) are never read, so nothing but presence can be measured for such secrets.
 */
export async function lookupSecrets(secrets: readonly NormalizedSecret[], opts: SourceOptions): Promise<Map<string, SecretLookup>> {
  const out = new Map<string, SecretLookup>();
  let dotenv: Map<string, string> | undefined | null = null;
  const commands = new Map<string, Promise<Set<string> | string>>();
  const readDot = async () => {
    if (dotenv !== null) return dotenv;
    dotenv = opts.dotenvFile === undefined ? undefined : await readDotenvValues(resolve(opts.cwd, opts.dotenvFile));
    return dotenv;
  };
  for (const s of secrets) {
    const src = s.source;
    if (typeof src === 'object') {
      if (!commands.has(src.command)) commands.set(src.command, listNames(src.command, opts));
      const names = await commands.get(src.command)!;
      const from = `command \`${src.command}\``;
      out.set(s.name, typeof names === 'string' ? { kind: 'unmeasured', from, reason: names } : names.has(s.name) ? { kind: 'name-only', from } : { kind: 'missing', from });
      continue;
    }
    const envValue = src === 'dotenv' ? undefined : opts.env[s.name];
    if (envValue !== undefined && envValue !== '') {
      out.set(s.name, { kind: 'value', value: envValue, from: 'environment' });
      continue;
    }
    if (src === 'env') {
      out.set(s.name, { kind: 'missing', from: 'environment' });
      continue;
    }
    const dot = await readDot();
    const from = opts.dotenvFile ?? 'dotenv (none configured)';
    if (dot === undefined) out.set(s.name, src === 'dotenv' ? { kind: 'unmeasured', from, reason: opts.dotenvFile ? `cannot read ${opts.dotenvFile}` : 'no dotenv file configured' } : { kind: 'missing', from: 'environment (no dotenv file)' });
    else {
      const v = dot.get(s.name);
      out.set(s.name, v !== undefined && v !== '' ? { kind: 'value', value: v, from } : { kind: 'missing', from: src === 'dotenv' ? from : `environment and ${from}` });
    }
  }
  return out;
}

async function readDotenvValues(abs: string): Promise<Map<string, string> | undefined> {
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch {
    return undefined;
  }
  return new Map([...indexDotenv(parseDotenv(text).entries)].map(([k, e]) => [k, e.value]));
}

/** Runs a names-only listing command; returns the names, or why it could not be measured. */
async function listNames(command: string, opts: SourceOptions): Promise<Set<string> | string> {
  const r = await execa(command, {
    shell: true,
    cwd: opts.cwd,
    env: { ...(opts.commandEnv ?? opts.env) },
    extendEnv: false,
    reject: false,
    timeout: opts.commandTimeoutMs ?? 60_000,
    ...(opts.signal ? { cancelSignal: opts.signal } : {}),
    stdin: 'ignore',
  });
  if (r.failed) {
    // Only the exit status is reported: the command's output is not ours to print.
    return `\`${command}\` failed (${r.timedOut ? 'timed out' : r.exitCode !== undefined ? `exit ${r.exitCode}` : (r.shortMessage ?? 'did not run')})`;
  }
  const names = new Set<string>();
  for (const line of String(r.stdout).split('\n')) {
    const first = /^\s*([A-Za-z_][A-Za-z0-9_]*)\b/.exec(line);
    if (first) names.add(first[1]!);
  }
  return names;
}
