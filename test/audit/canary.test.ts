import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { missing } from '../support/audit-services.js';
import { runCli } from '../support/cli-run.js';
import { commitAll, initRepo, makeTempDir } from '../support/temp-dir.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function* filesUnder(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* filesUnder(p);
    else if (e.isFile()) yield p;
  }
}

/**
 * CANARY: a unique secret value goes through every secrets path (check from the env and from
 * the dotenv file, rotated, exposure search that FINDS it in history, the secrets/check action
 * inside a real `shipgate run`, and the gate). Then every byte written — stdout, stderr and every
 * file under the state dir (SQLite db + WAL, artifacts, ledger) — is searched for it.
 */
it.skipIf(missing('git'))('a secret value never reaches output, store, ledger or artifacts', async () => {
  const t = makeTempDir();
  cleanups.push(t.cleanup);
  const cwd = t.dir;
  const canary = `sgcanary${randomBytes(16).toString('hex')}`;
  initRepo(cwd);
  writeFileSync(join(cwd, '.gitignore'), '.env\n.shipgate/\n');
  writeFileSync(
    join(cwd, 'shipgate.yml'),
    [
      'version: 1',
      'name: canary',
      'environments:',
      '  production:',
      '    secrets:',
      '      - { name: JWT_SECRET, min-length: 32, min-entropy: 3, rotate-every: 90d }',
      '      - { name: WH_SECRET, forbid: [not-this] }',
      'phases:',
      '  - id: gates',
      '    steps:',
      '      - { id: secrets, uses: secrets/check, with: { history: true } }',
      '',
    ].join('\n'),
  );
  // The value leaked once in history (so the exposure search finds it and must report it without printing it).
  writeFileSync(join(cwd, 'old.js'), `const jwt = '${canary}';\n`);
  commitAll(cwd, 'feat: leak');
  writeFileSync(join(cwd, 'old.js'), 'const jwt = process.env.JWT_SECRET;\n');
  commitAll(cwd, 'fix: remove');
  writeFileSync(join(cwd, '.env'), `WH_SECRET=${canary}wh\n`);
  writeFileSync(join(cwd, 'pr.md'), '- [x] done\n');
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, SHIPGATE_ACTOR: 'canary@example.com', JWT_SECRET: canary };

  const outputs: string[] = [];
  const run = async (argv: string[]) => {
    const r = await runCli(argv, { cwd, env });
    outputs.push(r.stdout, r.stderr);
    return r;
  };
  const check = await run(['secrets', 'check', 'shipgate.yml', '--env', 'production']);
  expect(check.code).toBe(1);
  expect(check.stdout).toMatch(/FAIL JWT_SECRET exposed-history: .* found at old\.js:1/);
  expect((await run(['secrets', 'rotated', 'JWT_SECRET', '--note', 'quarterly'])).code).toBe(0);
  expect((await run(['secrets', 'check', 'shipgate.yml', '--env', 'production', '--json'])).code).toBe(1);
  const engine = await run(['run', 'shipgate.yml', '--env', 'production', '--no-prompt']);
  expect(engine.code).not.toBe(0);
  expect(engine.stdout + engine.stderr).toMatch(/exposed-history|failed/);
  if (process.env.SG_DEBUG) console.log(engine.stdout, engine.stderr);
  await run(['gate', 'shipgate.yml', '--pr-body', 'pr.md', '--base', 'HEAD~1']);
  // A dotenv assertion comparing two files that hold the same secret: must say so without the value.
  writeFileSync(join(cwd, '.env.development'), `WH_SECRET=${canary}wh\n`);
  const same = await run(['audit', 'env', '--file', '.env', '--differs-from', 'WH_SECRET=.env.development', '--json']);
  expect(same.code).toBe(1);
  expect(same.stdout).toContain('same value as .env.development:1');
  writeFileSync(join(cwd, '.env.broken'), `${canary} no equals sign\n`);
  const broken = await run(['audit', 'env', '--file', '.env.broken', '--port', 'PORT']);
  expect(broken.stdout).toContain('.env.broken:1: FAIL - syntax: expected KEY=value, measured not a KEY=value line');

  const written = [...filesUnder(join(cwd, '.shipgate'))];
  expect(written.length).toBeGreaterThan(0);
  expect(written.some((f) => f.endsWith('state.db'))).toBe(true);
  for (const o of outputs) expect(o).not.toContain(canary);
  for (const f of written) {
    expect(statSync(f).size).toBeGreaterThanOrEqual(0);
    expect(readFileSync(f).includes(Buffer.from(canary)), `canary found in ${f}`).toBe(false);
  }
  // The rotation entry holds the name and time only.
  const ledger = await runCli(['evidence', 'verify'], { cwd, env });
  expect(ledger.code).toBe(0);
});
