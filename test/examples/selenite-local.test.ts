import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { shipgate } from '../support/cli.js';
import { approveUntilDone, copyExample, examplesMissing, hashTree, newestRun, sqlite } from '../support/examples-services.js';

// examples/selenite-local end to end through the BUILT CLI: the seed-000 release against the
// stand-in app (real HTTPS server, real SQLite file, real Chromium), then the failure path that
// rolls back. Each test works on its own copy of the example in a temp dir.

const NEEDS = ['built', 'sqlite3', 'openssl', 'git', 'chromium'] as const;
const DEVELOPER = 'dev@selenite.example';
const ADMIN = 'admin@selenite.example';
const RUN_TIMEOUT = 240_000;

const cleanups: Array<() => void> = [];
afterEach(() => {
  // LIFO: stop the app before its folder goes away.
  while (cleanups.length) cleanups.pop()!();
});

function useExample() {
  const ex = copyExample('selenite-local');
  cleanups.push(ex.cleanup);
  cleanups.push(() => execFileSync('bash', ['scripts/stop-selenite.sh'], { cwd: ex.dir, stdio: 'ignore' }));
  return ex.dir;
}

describe('examples/selenite-local', () => {
  it.skipIf(examplesMissing('selenite-local setup guard', ['git']))('refuses to set up inside another git work tree (it would tag that repository)', () => {
    // A git repository holding the example in a subfolder, as the shipgate checkout does.
    const outer = copyExample('selenite-local');
    cleanups.push(outer.cleanup);
    execFileSync('bash', ['-c', 'mkdir inner && mv $(ls -A | grep -vx inner) inner/ && git init -q .'], { cwd: outer.dir });
    let err: { status?: number; stderr?: string } = {};
    try {
      execFileSync('bash', ['inner/scripts/setup.sh'], { cwd: outer.dir, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      err = e as typeof err;
    }
    expect(err.status).toBe(1);
    expect(err.stderr).toMatch(/refusing to run inside another git work tree .*copy this example first/s);
    expect(execFileSync('ls', ['-A', join(outer.dir, 'inner')], { encoding: 'utf8' })).not.toMatch(/^\.env$|^run$|^certs$/m);
  });

  it.skipIf(examplesMissing('selenite-local release', NEEDS))(
    'runs the whole release, waits for the administrator, resumes to success, and the evidence verifies',
    async () => {
      const dir = useExample();
      const env = { SHIPGATE_ACTOR: DEVELOPER };
      const first = await shipgate(['run', '--env', 'production', '--release', 'v1.1.0', '--no-prompt'], { cwd: dir, env, timeoutMs: RUN_TIMEOUT });
      expect(first.exitCode, first.stdout + first.stderr).toBe(3);
      expect(first.stdout).toMatch(/is waiting for approval of ui-verification$/m);
      for (const step of ['classify', 'backup', 'verify-backup', 'alignment-audit', 'env-audit', 'rehearsal', 'stop', 'ports-free', 'migrate', 'health', 'https-only', 'ui-smoke']) {
        expect(first.stdout, step).toMatch(new RegExp(`✓ ${step} passed`));
      }
      expect(first.stdout).toMatch(/alignment-audit passed .*0 counted hit\(s\).*1 allowed/);

      const { last, approved } = await approveUntilDone(dir, first, () => ADMIN, env, RUN_TIMEOUT);
      expect(approved).toEqual(['ui-verification']);
      expect(last.exitCode, last.stdout + last.stderr).toBe(0);
      expect(last.stdout).toMatch(/ui-verification passed .*approved by admin@selenite\.example/);
      expect((await newestRun(dir, env)).status).toBe('succeeded');

      const verify = await shipgate(['evidence', 'verify'], { cwd: dir, env });
      expect(verify.exitCode, verify.stderr).toBe(0);
      expect(verify.stdout).toMatch(/^ledger OK/);

      // What the release left behind: migrated data, the tag, the evidence lines.
      const db = join(dir, 'backend/selenite.db');
      expect(sqlite(db, 'SELECT group_concat(id) FROM (SELECT id FROM shipgate_migrations ORDER BY id)')).toBe('0001_init,0002_job_duration');
      expect(sqlite(db, "SELECT count(*) FROM pragma_table_info('jobs') WHERE name = 'duration_s'")).toBe('1');
      expect(sqlite(db, "SELECT count(*) FROM jobs WHERE title = 'Release check v1.1.0'")).toBe('1'); // created by check/browser
      expect(execFileSync('git', ['tag', '--points-at', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim()).toBe('v1.1.0');
      expect(readFileSync(join(dir, 'docs/CHANGELOG.md'), 'utf8')).toMatch(/Released v1\.1\.0 .*backup .*\(verified\)/);
    },
    RUN_TIMEOUT * 2,
  );

  it.skipIf(examplesMissing('selenite-local rollback', NEEDS))(
    'a degraded release rolls back: data restored, backend/models and logs never written by the restore',
    async () => {
      const dir = useExample();
      // The host exists before the run (setup is idempotent), so the state before can be recorded.
      execFileSync('bash', ['scripts/setup.sh'], { cwd: dir, stdio: 'ignore' });
      const db = join(dir, 'backend/selenite.db');
      const modelsBefore = hashTree(join(dir, 'backend/models'));
      const storageBefore = hashTree(join(dir, 'storage'));
      const jobsBefore = sqlite(db, 'SELECT group_concat(title, "|") FROM jobs');
      expect(Object.keys(modelsBefore)).toEqual(['whisper-tiny.bin']);

      const env = { SHIPGATE_ACTOR: DEVELOPER, SELENITE_FAULTY_VERSION: 'v1.1.0' };
      const first = await shipgate(['run', '--env', 'production', '--release', 'v1.1.0', '--no-prompt'], { cwd: dir, env, timeoutMs: RUN_TIMEOUT });
      expect(first.stdout).toMatch(/✗ health failed .*measured degraded/);
      expect(first.stdout).toMatch(/↺ rolling back: health failed/);
      expect(first.stdout).toMatch(/✓ restore passed .*restored backup \S+ .*safety backup/);
      expect(first.stdout).toMatch(/✓ rollback-health passed/);
      expect(first.exitCode, first.stdout + first.stderr).toBe(3);
      expect(first.stdout).toMatch(/is waiting for approval of rollback-ui-verification$/m);

      const { last, approved } = await approveUntilDone(dir, first, () => ADMIN, env, RUN_TIMEOUT);
      expect(approved).toEqual(['rollback-ui-verification']);
      expect(last.exitCode, last.stdout + last.stderr).toBe(1);
      expect((await newestRun(dir, env)).status).toBe('rolled-back');

      // Data restored: the schema and bookkeeping of v1.0.0, the same rows, the same storage files.
      expect(sqlite(db, 'SELECT group_concat(id) FROM shipgate_migrations')).toBe('0001_init');
      expect(sqlite(db, "SELECT count(*) FROM pragma_table_info('jobs') WHERE name = 'duration_s'")).toBe('0');
      expect(sqlite(db, 'SELECT group_concat(title, "|") FROM jobs')).toBe(jobsBefore);
      expect(hashTree(join(dir, 'storage'))).toEqual(storageBefore);
      // Protected: the model byte-identical; the log still holds what v1.1.0 wrote after the backup
      // (a restore of logs/ would have removed it).
      expect(hashTree(join(dir, 'backend/models'))).toEqual(modelsBefore);
      const log = readFileSync(join(dir, 'logs/selenite.log'), 'utf8');
      expect(log).toMatch(/started version v1\.1\.0/);
      expect(log.indexOf('started version v1.1.0')).toBeLessThan(log.lastIndexOf('started version v1.0.0'));
      expect(readFileSync(join(dir, 'app/DEPLOYED'), 'utf8').trim()).toBe('v1.0.0');

      const verify = await shipgate(['evidence', 'verify'], { cwd: dir, env });
      expect(verify.exitCode, verify.stderr).toBe(0);
    },
    RUN_TIMEOUT * 2,
  );
});
