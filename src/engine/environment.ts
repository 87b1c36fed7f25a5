import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { UserError } from '../core/errors.js';
import type { LoadedRunbook } from '../runbook/loaded-runbook.js';
import type { SecretSpec } from '../runbook/schema.js';

/** The resolved target environment: vars, secret values, and where each secret came from. */
export interface ResolvedEnvironment {
  readonly name: string;
  readonly vars: Readonly<Record<string, string>>;
  readonly secrets: Readonly<Record<string, string>>;
  /** Secrets declared but absent (only those not `required`; required ones are an error). */
  readonly missingOptional: readonly string[];
  /** Path of the dotenv file read, if any. */
  readonly dotenvPath: string | null;
}

export const secretName = (s: SecretSpec): string => (typeof s === 'string' ? s : s.name);
const isRequired = (s: SecretSpec): boolean => (typeof s === 'string' ? true : s.required);

/**
 * Resolves `environments.NAME`: vars as written; each declared secret from the process
 * environment, else the dotenv file (`dotenv:`, default `.env` beside the runbook if present).
 * A required secret that is missing stops the run before anything executes.
 */
export async function resolveEnvironment(
  loaded: LoadedRunbook,
  name: string,
  processEnv: Readonly<Record<string, string | undefined>>,
): Promise<ResolvedEnvironment> {
  const envSpec = loaded.runbook.environments[name];
  if (!envSpec) {
    const known = Object.keys(loaded.runbook.environments);
    throw new UserError(
      'SG_UNKNOWN_ENV',
      `environment "${name}" is not defined in ${loaded.path} (defined: ${known.join(', ') || 'none'})`,
      known[0] ? `shipgate run --env ${known[0]}` : 'add it under `environments:`',
    );
  }
  const dotenvPath = resolve(loaded.dir, envSpec.dotenv ?? '.env');
  let dotenv: Record<string, string> = {};
  try {
    dotenv = parseEnv(await readFile(dotenvPath, 'utf8')) as Record<string, string>;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (!(code === 'ENOENT' && envSpec.dotenv === undefined)) {
      throw new UserError('SG_DOTENV_UNREADABLE', `cannot read ${dotenvPath}: ${(e as Error).message}`, `check the \`dotenv:\` path of environment ${name}`);
    }
  }
  const secrets: Record<string, string> = {};
  const missingRequired: string[] = [];
  const missingOptional: string[] = [];
  for (const spec of envSpec.secrets) {
    const key = secretName(spec);
    const value = processEnv[key] ?? dotenv[key];
    if (value !== undefined && value !== '') secrets[key] = value;
    else (isRequired(spec) ? missingRequired : missingOptional).push(key);
  }
  if (missingRequired.length > 0) {
    throw new UserError(
      'SG_SECRET_MISSING',
      `environment ${name} needs secret${missingRequired.length > 1 ? 's' : ''} ${missingRequired.join(', ')}: not in the process environment nor in ${dotenvPath}`,
      `export ${missingRequired[0]}=… (or add it to ${envSpec.dotenv ?? '.env'}), then run again`,
    );
  }
  return { name, vars: envSpec.vars, secrets, missingOptional, dotenvPath: Object.keys(dotenv).length ? dotenvPath : null };
}
