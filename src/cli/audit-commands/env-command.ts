import { auditEnv, formatEnvReport } from '../../audit/env/audit-env.js';
import type { EnvAssertion } from '../../audit/env/env-assertions.js';
import { UserError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import type { CliIO } from '../io.js';

export interface EnvFlags {
  file: string;
  equals: string[];
  regex: string[];
  port: string[];
  unset: string[];
  differsFrom: string[];
  sensitive: string[];
  json?: boolean;
}

function splitKv(flag: string, v: string): [string, string] {
  const i = v.indexOf('=');
  if (i <= 0) throw new UserError('SG_FLAGS', `--${flag} ${v}: expected KEY=VALUE`, `e.g. --${flag} PORT=8100`);
  return [v.slice(0, i), v.slice(i + 1)];
}

export async function envCommand(io: CliIO, f: EnvFlags): Promise<ExitCode> {
  const sensitive = new Set(f.sensitive);
  const a: EnvAssertion[] = [];
  const add = (key: string, extra: Partial<EnvAssertion>) => a.push({ key, ...(sensitive.has(key) ? { sensitive: true } : {}), ...extra } as EnvAssertion);
  for (const v of f.equals) {
    const [k, x] = splitKv('equals', v);
    add(k, { equals: x });
  }
  for (const v of f.regex) {
    const [k, x] = splitKv('regex', v);
    add(k, { regex: x });
  }
  for (const k of f.port) add(k, { port: true });
  for (const k of f.unset) add(k, { unset: true });
  for (const v of f.differsFrom) {
    const [k, x] = splitKv('differs-from', v);
    add(k, { 'differs-from': x });
  }
  if (!a.length) throw new UserError('SG_FLAGS', 'audit env needs at least one assertion', 'e.g. shipgate audit env --file .env --equals PORT=8100 --port PORT');
  const r = await auditEnv({ cwd: io.cwd, file: f.file, assertions: a });
  io.stdout.write(f.json ? JSON.stringify(r, null, 2) + '\n' : formatEnvReport(r));
  return r.passed ? ExitCode.Success : ExitCode.Failed;
}
