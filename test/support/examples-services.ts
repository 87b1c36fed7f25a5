import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { BIN, ROOT, shipgate, type CliResult } from './cli.js';

function has(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * What the local examples need, probed once: a tool or server that is missing yields a one-line
 * reason. `undefined` = available.
 */
const probes: Record<string, () => string | undefined> = {
  built: () => (existsSync(join(ROOT, 'dist/cli/main.js')) ? undefined : `the CLI is not built (${BIN} needs dist/): run npm run build`),
  sqlite3: () => (has('sqlite3', ['-version']) ? undefined : 'sqlite3 (apt-get install sqlite3)'),
  openssl: () => (has('openssl', ['version']) ? undefined : 'openssl'),
  git: () => (has('git', ['--version']) ? undefined : 'git'),
  chromium: () => (existsSync('/usr/bin/chromium') ? undefined : 'Chromium at /usr/bin/chromium (apt-get install -y chromium)'),
  psql: () => (has('psql', ['--version']) && has('pg_dump', ['--version']) ? undefined : 'psql/pg_dump (apt-get install postgresql-client)'),
  postgres: () => (has('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-Atc', 'select 1', 'postgres']) ? undefined : 'PostgreSQL at 127.0.0.1:5432 (user postgres)'),
  redis: () => (has('redis-cli', ['-h', '127.0.0.1', '-p', '6379', 'ping']) ? undefined : 'Redis at 127.0.0.1:6379 (and redis-cli)'),
};

/**
 * For `it.skipIf(...)`: true (skip) when one of `needs` is missing, with a visible one-line
 * warning. Under CI (`process.env.CI`) it throws instead: CI skips nothing.
 */
export function examplesMissing(test: string, needs: readonly (keyof typeof probes)[]): boolean {
  const reasons = needs.map((n) => probes[n]!()).filter((r): r is string => r !== undefined);
  if (reasons.length === 0) return false;
  const line = `[examples] ${test}: missing ${reasons.join('; ')}`;
  if (process.env.CI) throw new Error(`${line} (CI must not skip)`);
  console.warn(`${line}: skipping`);
  return true;
}

/** A copy of examples/NAME in a fresh temp dir (the examples refuse to run inside the shipgate checkout). */
export function copyExample(name: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), `sg-example-${name}-`));
  try {
    cpSync(join(ROOT, 'examples', name), dir, { recursive: true });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** sha256 of every file under `dir` (relative path → digest), for byte-identity checks. */
export function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** The id of the newest run in `cwd`'s state. */
export async function newestRun(cwd: string, env: Record<string, string>): Promise<{ id: string; status: string }> {
  const r = await shipgate(['runs', '--json'], { cwd, env });
  const runs = JSON.parse(r.stdout) as Array<{ id: string; status: string }>;
  if (!runs[0]) throw new Error(`no runs in ${cwd}: ${r.stderr}`);
  return runs[0];
}

/**
 * Drives a run through its manual steps: while it exits 3, approves every waiting step as
 * `approver(step)` with every item passed, then resumes. Returns the last CLI result and the
 * steps approved, in order, and `output`: the stdout of the run and of every resume, in order.
 */
export async function approveUntilDone(
  cwd: string,
  first: CliResult,
  approver: (step: string) => string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ last: CliResult; approved: string[]; output: string }> {
  let last = first;
  let output = first.stdout;
  const approved: string[] = [];
  for (let i = 0; i < 10 && last.exitCode === 3; i++) {
    const m = /run (\S+) is waiting for approval of (.+)$/m.exec(last.stdout);
    if (!m) throw new Error(`exit 3 without a waiting line:\n${last.stdout}\n${last.stderr}`);
    const [, run, steps] = m;
    for (const step of steps!.split(/,\s*/)) {
      const a = await shipgate(['approve', run!, step, '--all-pass', '--note', 'checked in the e2e test'], { cwd, env: { ...env, SHIPGATE_ACTOR: approver(step) } });
      if (a.exitCode !== 0) throw new Error(`approve ${step} failed: ${a.stdout}${a.stderr}`);
      approved.push(step);
    }
    last = await shipgate(['resume', run!], { cwd, env, timeoutMs });
    output += last.stdout;
  }
  return { last, approved, output };
}

/** Runs sqlite3 on a file and returns trimmed stdout. */
export function sqlite(db: string, sql: string): string {
  return execFileSync('sqlite3', [db, sql], { encoding: 'utf8' }).trim();
}
