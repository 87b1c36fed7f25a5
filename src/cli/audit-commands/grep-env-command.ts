import { auditEnv, formatEnvReport } from '../../audit/env/audit-env.js';
import type { EnvAssertion } from '../../audit/env/env-assertions.js';
import { formatGrepJson, formatGrepSarif, formatGrepSummary, formatGrepText } from '../../audit/grep/format-report.js';
import { grepFiles } from '../../audit/grep/grep-files.js';
import { noFilesMessage } from '../../actions/audit/grep-action.js';
import { UserError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import type { CliIO } from '../io.js';

export interface GrepFlags {
  allow: string[];
  marker: boolean;
  ignoreCase?: boolean;
  hidden?: boolean;
  ignore: boolean;
  threads?: number;
  maxHits: number;
  showAllowed?: boolean;
  json?: boolean;
  sarif?: boolean;
}

export async function grepCommand(io: CliIO, pattern: string, paths: string[], f: GrepFlags): Promise<ExitCode> {
  if (f.json && f.sarif) throw new UserError('SG_FLAGS', '--json and --sarif are exclusive', 'choose one output format');
  if (f.threads !== undefined && !(Number.isInteger(f.threads) && f.threads >= 1)) throw new UserError('SG_FLAGS', `--threads ${f.threads} is not a positive integer`, 'e.g. --threads 2');
  if (!(Number.isInteger(f.maxHits) && f.maxHits >= 0)) throw new UserError('SG_FLAGS', `--max-hits must be a whole number ≥ 0`, 'e.g. --max-hits 0');
  const r = await grepFiles(pattern, paths, {
    cwd: io.cwd,
    allow: { globs: f.allow, marker: f.marker },
    ignoreCase: f.ignoreCase ?? false,
    hidden: f.hidden ?? false,
    respectIgnore: f.ignore,
    ...(f.threads ? { threads: f.threads } : {}),
  });
  if (f.json) io.stdout.write(formatGrepJson(r));
  else if (f.sarif) io.stdout.write(formatGrepSarif(r));
  else io.stdout.write(formatGrepText(r, { showAllowed: f.showAllowed ?? false }));
  io.stderr.write(formatGrepSummary(r));
  const unreadable = r.skipped.filter((s) => s.reason === 'unreadable');
  if (unreadable.length) {
    io.stderr.write(`error SG_AUDIT_INCOMPLETE: ${unreadable.length} file(s) could not be read, so the audit is incomplete\n  → fix the permissions or exclude them (.gitignore / a narrower path), then run again\n`);
    return ExitCode.Failed;
  }
  if (r.filesSearched === 0) {
    io.stderr.write(`error SG_AUDIT_NO_FILES: ${noFilesMessage(paths)}\n  → name files that are not ignored, or pass --no-ignore / --hidden: shipgate audit grep PATTERN PATH --no-ignore\n`);
    return ExitCode.Failed;
  }
  return r.hits.length > f.maxHits ? ExitCode.Failed : ExitCode.Success;
}

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
