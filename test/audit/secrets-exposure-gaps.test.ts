import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkSecrets, type SecretFinding } from '../../src/audit/secrets/check-secrets.js';
import { commitAll, gitIn, initRepo, makeTempDir } from '../support/temp-dir.js';

// Ways a committed secret value escaped the exposure search (found by an exploratory review):
// each must be a finding, never a pass.
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function repo(): string {
  const t = makeTempDir();
  cleanups.push(t.cleanup);
  initRepo(t.dir);
  return t.dir;
}
const NOW = new Date('2026-11-21T12:00:00Z');
/** A repository whose `config.txt` was `first`, then `second`, and a `--depth 1` clone of it. */
function withShallowClone(first: string, second: string): { src: string; shallow: string } {
  const src = repo();
  writeFileSync(join(src, 'config.txt'), first);
  commitAll(src, 'first');
  writeFileSync(join(src, 'config.txt'), second);
  commitAll(src, 'second');
  const t = makeTempDir();
  cleanups.push(t.cleanup);
  gitIn(t.dir, 'clone', '-q', '--depth', '1', `file://${src}`, 'shallow');
  return { src, shallow: join(t.dir, 'shallow') };
}
const VALUE = 'Zq8vLk2mP9xWr4Tn';
const failedAt = (fs: readonly SecretFinding[]) => fs.filter((f) => f.status === 'failed').map((f) => `${f.check} ${f.secret} ${f.measured}`);

describe('secret exposure: no way around the search', () => {
  it('an allowed file (test fixtures) may hold token shapes, never a declared value', async () => {
    const cwd = repo();
    mkdirSync(join(cwd, 'test/fixtures'), { recursive: true });
    writeFileSync(join(cwd, 'test/fixtures/sample.txt'), `token=${VALUE}\nAKIAIOSFODNN7EXAMPLQ\n`);
    commitAll(cwd, 'fixtures');
    const r = await checkSecrets({ cwd, env: { API_TOKEN: VALUE }, secrets: ['API_TOKEN'], clock: () => NOW, allowFiles: ['test/fixtures/**'] });
    expect(failedAt(r.findings)).toEqual(['exposed-tree API_TOKEN found at test/fixtures/sample.txt:1', 'exposed-history API_TOKEN found at test/fixtures/sample.txt:1']);
    expect(r.status).toBe('failed');
  });

  it('a tracked file that .gitignore now matches is still searched (it stays committed)', async () => {
    const cwd = repo();
    writeFileSync(join(cwd, '.env'), `API_TOKEN=${VALUE}\n`);
    commitAll(cwd, 'oops');
    writeFileSync(join(cwd, '.gitignore'), '.env\n');
    commitAll(cwd, 'ignore it');
    const r = await checkSecrets({ cwd, env: { API_TOKEN: VALUE }, secrets: ['API_TOKEN'], clock: () => NOW, history: false });
    expect(failedAt(r.findings)).toEqual(['exposed-tree API_TOKEN found at .env:1']);
  });

  it('a value committed escaped, as a double-quoted dotenv or JSON string holds it, is found', async () => {
    const cwd = repo();
    const value = 'p@ss\\w0rd"Qm9vYmF6-7hG2';
    writeFileSync(join(cwd, '.env.production'), `DB_PASS="p@ss\\\\w0rd\\"Qm9vYmF6-7hG2"\n`);
    commitAll(cwd, 'escaped');
    gitIn(cwd, 'rm', '--cached', '-q', '.env.production');
    writeFileSync(join(cwd, '.gitignore'), '.env.production\n');
    commitAll(cwd, 'untrack');
    const r = await checkSecrets({ cwd, env: { DB_PASS: value }, secrets: ['DB_PASS'], clock: () => NOW, tree: false });
    expect(failedAt(r.findings)).toEqual(['exposed-history DB_PASS found at .env.production:1']);
  });

  it('a shallow clone: the history it lacks is unmeasured, never a pass', async () => {
    const { src, shallow } = withShallowClone(`key=${VALUE}\n`, 'key=from-env\n');
    const r = await checkSecrets({ cwd: shallow, env: { API_TOKEN: VALUE }, secrets: ['API_TOKEN'], clock: () => NOW });
    expect(r.findings.find((f) => f.check === 'exposed-history' && f.status === 'unmeasured')).toMatchObject({ measured: expect.stringContaining('shallow clone') });
    expect(r.status).toBe('unmeasured');
    // The full clone finds it.
    expect(failedAt((await checkSecrets({ cwd: src, env: { API_TOKEN: VALUE }, secrets: ['API_TOKEN'], clock: () => NOW })).findings)).toEqual(['exposed-history API_TOKEN found at config.txt:1']);
  });

  it('a known default in other case (CHANGEME) is still forbidden; the runbook\'s own forbid values stay exact', async () => {
    const cwd = repo();
    const r = await checkSecrets({ cwd, env: { A: 'CHANGEME', B: 'Hunter2-Prod' }, secrets: ['A', { name: 'B', forbid: ['hunter2-prod'] }], clock: () => NOW, tree: false, history: false });
    expect(r.findings.filter((f) => f.check === 'forbid').map((f) => `${f.secret} ${f.status}`)).toEqual(['A failed', 'B passed']);
  });
});

describe('merge gate: a history it could not search', () => {
  it('says how to search it (a full clone), not to rotate a secret nobody found', async () => {
    const { checkSecretExposure } = await import('../../src/audit/gate/secrets-condition.js');
    const { RunbookSchema } = await import('../../src/runbook/schema.js');
    const { shallow: dir } = withShallowClone('one\n', 'two\n');
    const rb = RunbookSchema.parse({ version: 1, name: 's', environments: { production: { secrets: ['API_TOKEN'] } }, phases: [{ id: 'p', steps: [{ id: 'a', run: 'true' }] }] });
    const c = await checkSecretExposure(rb, { runbookDir: dir, env: { API_TOKEN: VALUE }, history: true });
    expect(c).toMatchObject({ status: 'unmet', measured: expect.stringContaining('shallow clone'), how: expect.stringContaining('fetch-depth: 0') });
    expect(c.how).not.toContain('rotate');
  });
});
