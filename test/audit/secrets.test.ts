import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkSecrets, type SecretFinding } from '../../src/audit/secrets/check-secrets.js';
import { recordRotation } from '../../src/audit/secrets/rotation.js';
import { shannonEntropy } from '../../src/audit/secrets/secret-spec.js';
import { missing } from '../support/audit-services.js';
import { runCli } from '../support/cli-run.js';
import { inMemoryEvidence } from '../support/in-memory-evidence.js';
import { commitAll, gitIn, initRepo, makeTempDir } from '../support/temp-dir.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function tmp(): string {
  const t = makeTempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}
const brief = (fs: readonly SecretFinding[]) => fs.map((f) => `${f.secret} ${f.check} ${f.status}`);
const NOW = new Date('2026-11-21T12:00:00Z');

describe('secrets check', () => {
  it('checks presence, min-length, min-entropy, forbidden defaults (env first, then dotenv)', async () => {
    const cwd = tmp();
    writeFileSync(join(cwd, '.env'), 'REDIS_URL=redis://127.0.0.1:6379\nJWT_SECRET=short\n');
    const r = await checkSecrets({
      cwd,
      env: { DATABASE_URL: 'postgres://u:p@127.0.0.1/db', WH_SECRET: 'changeme' },
      dotenvFile: join(cwd, '.env'),
      secrets: [
        'DATABASE_URL',
        { name: 'JWT_SECRET', required: true, 'min-length': 32, 'min-entropy': 3.5 },
        'REDIS_URL',
        { name: 'SENTRY_DSN', required: false },
        'WH_SECRET',
      ],
      clock: () => NOW,
      tree: false,
      history: false,
    });
    expect(brief(r.findings)).toEqual([
      'DATABASE_URL present passed',
      'DATABASE_URL forbid passed',
      'JWT_SECRET present passed',
      'JWT_SECRET min-length failed',
      'JWT_SECRET min-entropy failed',
      'JWT_SECRET forbid passed',
      'REDIS_URL present passed',
      'REDIS_URL forbid passed',
      'SENTRY_DSN present passed',
      'WH_SECRET present passed',
      'WH_SECRET forbid failed',
    ]);
    expect(r.findings.find((f) => f.check === 'min-length')).toMatchObject({ expected: '≥ 32 chars', measured: '5 chars' });
    expect(r.status).toBe('failed');
    // A passing secret's exact length and entropy are not written down (only that it meets them).
    const good = await checkSecrets({
      cwd: tmp(),
      env: { JWT_SECRET: 'Zq8!vR2#kL9@wX4$mN7%pT1^bY6&cH3*dF5(' },
      secrets: [{ name: 'JWT_SECRET', required: true, 'min-length': 32, 'min-entropy': 3 }],
      tree: false,
      history: false,
      clock: () => NOW,
    });
    expect(good.findings.filter((f) => f.check === 'min-length' || f.check === 'min-entropy').map((f) => [f.status, f.measured])).toEqual([
      ['passed', 'at least 32 chars'],
      ['passed', 'at least 3 bits/char'],
    ]);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });

  it('rotation age comes from secret-rotated ledger entries (name and time only)', async () => {
    const ev = inMemoryEvidence(() => new Date('2026-06-01T00:00:00Z'));
    const spec = [{ name: 'JWT_SECRET', required: true, 'rotate-every': '90d' }] as const;
    const base = { cwd: tmp(), env: { JWT_SECRET: 'x'.repeat(40) }, secrets: [...spec], tree: false, history: false };
    let r = await checkSecrets({ ...base, evidence: ev, clock: () => NOW });
    expect(r.findings.find((f) => f.check === 'rotation')).toMatchObject({ status: 'failed', measured: expect.stringContaining('never recorded') });
    await recordRotation(ev, 'JWT_SECRET');
    r = await checkSecrets({ ...base, evidence: ev, clock: () => NOW });
    expect(r.findings.find((f) => f.check === 'rotation')).toMatchObject({ status: 'failed', measured: expect.stringContaining('last rotated 2026-06-01') });
    r = await checkSecrets({ ...base, evidence: ev, clock: () => new Date('2026-07-01T00:00:00Z') });
    expect(r.findings.find((f) => f.check === 'rotation')?.status).toBe('passed');
    expect(ev.entries.map((e) => e.data)).toEqual([{ name: 'JWT_SECRET' }]);
    r = await checkSecrets({ ...base, clock: () => NOW });
    expect(r.findings.find((f) => f.check === 'rotation')?.status).toBe('unmeasured');
  });

  it('reads names from a provider command: a FAKE `fly` (Fly.io cannot run here) on PATH', async () => {
    const cwd = tmp();
    const bin = join(cwd, 'fakebin');
    mkdirSync(bin);
    // FAKE of `fly secrets list -a APP`: prints the real command's table shape (names, digests, dates).
    writeFileSync(join(bin, 'fly'), '#!/bin/sh\n[ "$1 $2 $3 $4" = "secrets list -a chefcloud-prod-api" ] || { echo "fake fly: unexpected args $*" >&2; exit 64; }\nprintf "NAME        \\tDIGEST          \\tCREATED AT\\nDATABASE_URL\\t3c1f0e5bd5c4a1b2\\t2026-09-01T10:00:00Z\\nJWT_SECRET  \\t9a8b7c6d5e4f3a2b\\t2026-09-01T10:00:00Z\\n"\n');
    chmodSync(join(bin, 'fly'), 0o755);
    const source = { command: 'fly secrets list -a chefcloud-prod-api' };
    const r = await checkSecrets({
      cwd,
      env: {},
      commandEnv: { PATH: `${bin}:${process.env.PATH}` },
      secrets: [
        { name: 'DATABASE_URL', required: true, source },
        { name: 'JWT_SECRET', required: true, 'min-length': 32, source },
        { name: 'WH_SECRET', required: true, source },
      ],
      clock: () => NOW,
      tree: false,
      history: false,
    });
    expect(brief(r.findings)).toEqual(['DATABASE_URL present passed', 'JWT_SECRET present passed', 'JWT_SECRET min-length unmeasured', 'WH_SECRET present failed']);
    const broken = await checkSecrets({ cwd, env: {}, commandEnv: { PATH: `${bin}:${process.env.PATH}` }, secrets: [{ name: 'X', required: true, source: { command: 'fly secrets list -a other' } }], clock: () => NOW, tree: false, history: false });
    expect(broken.findings[0]).toMatchObject({ status: 'unmeasured', measured: expect.stringContaining('exit 64') });
  });

  it.skipIf(missing('git'))('finds a value in an old commit (commit, file, line) and token shapes in the tree', async () => {
    const cwd = tmp();
    initRepo(cwd);
    const value = 'Zq8vN3kL0pR7wT2yB5cX9mF4hJ6dS1gA';
    writeFileSync(join(cwd, 'config.js'), `module.exports = {\n  jwt: process.env.JWT_SECRET || '${value}',\n};\n`);
    const leak = commitAll(cwd, 'add config');
    writeFileSync(join(cwd, 'config.js'), 'module.exports = { jwt: process.env.JWT_SECRET };\n');
    commitAll(cwd, 'remove fallback');
    writeFileSync(join(cwd, 'deploy.sh'), 'export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPL3\n');
    const r = await checkSecrets({ cwd, env: { JWT_SECRET: value }, secrets: ['JWT_SECRET'], clock: () => NOW });
    const hist = r.findings.find((f) => f.check === 'exposed-history')!;
    expect(hist).toMatchObject({ secret: 'JWT_SECRET', status: 'failed', file: 'config.js', line: 2, commit: leak });
    expect(r.findings.find((f) => f.check === 'token-shape')).toMatchObject({ secret: 'aws-access-key-id', file: 'deploy.sh', line: 1 });
    expect(r.findings.some((f) => f.check === 'exposed-tree' && f.status === 'failed')).toBe(false);
    expect(JSON.stringify(r)).not.toContain(value);
    expect(JSON.stringify(r)).not.toContain('AKIAIOSFODNN7EXAMPL3');
  });

  it('a directory outside git: history is unmeasured with the reason, never a silent pass', async () => {
    const r = await checkSecrets({ cwd: tmp(), env: { A: 'v'.repeat(20) }, secrets: ['A'], clock: () => NOW });
    expect(r.findings.find((f) => f.check === 'exposed-history')).toMatchObject({ status: 'unmeasured', measured: expect.stringContaining('not inside a git repository') });
    expect(r.status).toBe('unmeasured');
  });

  it('secrets gen prints fresh values in the asked encoding; bad flags exit 2', async () => {
    const cwd = tmp();
    const a = await runCli(['secrets', 'gen', '--bytes', '32', '--hex'], { cwd });
    const b = await runCli(['secrets', 'gen', '--bytes', '32', '--hex'], { cwd });
    expect(a.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect(a.stdout).not.toBe(b.stdout);
    expect((await runCli(['secrets', 'gen'], { cwd })).stdout.trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect((await runCli(['secrets', 'gen', '--hex', '--base64'], { cwd })).code).toBe(2);
    expect((await runCli(['secrets', 'gen', '--bytes', '4'], { cwd })).code).toBe(2);
    // Only decimal digits: Number() would take 1e2 and 0x20.
    for (const odd of ['1e2', '0x20', '32.0', ' 32']) expect((await runCli(['secrets', 'gen', '--bytes', odd], { cwd })).code, odd).toBe(2);
  });
});
