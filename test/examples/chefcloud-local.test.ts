import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, shipgate } from '../support/cli.js';
import { approveUntilDone, copyExample, examplesMissing, newestRun } from '../support/examples-services.js';

// examples/chefcloud-local end to end through the BUILT CLI: the seed-003 release against the
// stand-in API with the real local Postgres (a uniquely named database per test) and Redis.

const NEEDS = ['built', 'psql', 'postgres', 'redis', 'openssl'] as const;
const MANAGER = 'release@chefcloud.example';
const RUN_TIMEOUT = 180_000;
const ADMIN = ['-h', '127.0.0.1', '-U', 'postgres', '-qAt'];

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const psql = (db: string, sql: string) => execFileSync('psql', [...ADMIN, '-d', db, '-c', sql], { encoding: 'utf8' }).trim();
const dbExists = (name: string) => psql('postgres', `SELECT count(*) FROM pg_database WHERE datname = '${name}'`) === '1';

/** A copy of the example, its secrets (fresh values, a unique database) and the JWT rotation record. */
async function useExample() {
  const ex = copyExample('chefcloud-local');
  const db = `sg_chefcloud_${randomBytes(5).toString('hex')}`;
  const env = {
    SHIPGATE_ACTOR: MANAGER,
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}`,
    REDIS_URL: `redis://127.0.0.1:6379/${1 + (randomBytes(1)[0]! % 15)}`,
    JWT_SECRET: randomBytes(32).toString('base64'),
    WH_SECRET: randomBytes(32).toString('hex'),
  };
  cleanups.push(ex.cleanup);
  // Stops the API and drops the database even when the run did not get to its teardown phase.
  cleanups.push(() => execFileSync('bash', ['scripts/teardown.sh'], { cwd: ex.dir, env: { ...process.env, ...env }, stdio: 'ignore' }));
  const rotated = await shipgate(['secrets', 'rotated', 'JWT_SECRET', '--note', 'e2e'], { cwd: ex.dir, env });
  expect(rotated.exitCode, rotated.stderr).toBe(0);
  return { dir: ex.dir, db, env };
}

describe('examples/chefcloud-local', () => {
  it.skipIf(examplesMissing('chefcloud-local release', NEEDS))(
    'runs the release with its secrets checklist, waits for the release manager, monitors, tears down; evidence verifies',
    async () => {
      const { dir, db, env } = await useExample();
      const first = await shipgate(['run', '--env', 'local', '--release', 'v2.1.0', '--no-prompt'], { cwd: dir, env, timeoutMs: RUN_TIMEOUT });
      expect(first.exitCode, first.stdout + first.stderr).toBe(3);
      for (const step of ['migration-review', 'secrets-check', 'redis-up', 'backup', 'verify-backup', 'migrate-status', 'rehearsal', 'deploy', 'migrate', 'migrate-verify', 'health', 'db', 'top-routes']) {
        expect(first.stdout, step).toMatch(new RegExp(`✓ ${step} passed`));
      }
      expect(dbExists(db)).toBe(true);
      expect(psql(db, 'SELECT string_agg(migration_name, \',\' ORDER BY migration_name) FROM "_prisma_migrations" WHERE finished_at IS NOT NULL')).toBe('20260101000000_init,20260110000000_order_notes');

      const { last, approved } = await approveUntilDone(dir, first, () => MANAGER, env, RUN_TIMEOUT);
      expect(approved).toEqual(['top-routes-manual']);
      expect(last.exitCode, last.stdout + last.stderr).toBe(0);
      expect(last.stdout).toMatch(/✓ monitor passed .*health 100\.0% p95 \d+ms/);
      expect((await newestRun(dir, env)).status).toBe('succeeded');
      expect(dbExists(db)).toBe(false); // dropped by the teardown phase

      const verify = await shipgate(['evidence', 'verify'], { cwd: dir, env });
      expect(verify.exitCode, verify.stderr).toBe(0);
      // Secrets never reach the output.
      for (const value of [env.JWT_SECRET, env.WH_SECRET]) expect(first.stdout + last.stdout).not.toContain(value);
    },
    RUN_TIMEOUT * 2,
  );

  it.skipIf(examplesMissing('chefcloud-local rollback', NEEDS))(
    'a release with a broken route rolls back: the pre-migration database is restored and the previous version serves',
    async () => {
      const { dir, db, env } = await useExample();
      const run = await shipgate(['run', '--env', 'local', '--release', 'v2.1.0', '--no-prompt'], { cwd: dir, env: { ...env, CHEFCLOUD_FAULTY_VERSION: 'v2.1.0' }, timeoutMs: RUN_TIMEOUT });
      expect(run.stdout).toMatch(/✓ migrate passed/);
      expect(run.stdout).toMatch(/✗ top-routes failed .*GET \/inventory/);
      expect(run.stdout).toMatch(/✓ restore passed/);
      expect(run.stdout).toMatch(/✓ rollback-health passed/);
      expect(run.stdout).toMatch(/✓ rollback-routes passed/);
      expect(run.exitCode, run.stdout + run.stderr).toBe(1);
      expect((await newestRun(dir, env)).status).toBe('rolled-back');

      // The database is the pre-migration one: 20260110000000_order_notes is not applied, its column is gone, the rows are there.
      expect(psql(db, 'SELECT string_agg(migration_name, \',\') FROM "_prisma_migrations"')).toBe('20260101000000_init');
      expect(psql(db, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'Order' AND column_name = 'notes'")).toBe('0');
      expect(psql(db, 'SELECT count(*) FROM "Order"')).toBe('3');
      const status = await shipgate(['migrations', 'status', '--json'], { cwd: dir, env });
      expect(status.stdout).toMatch(/20260110000000_order_notes/);

      const verify = await shipgate(['evidence', 'verify'], { cwd: dir, env });
      expect(verify.exitCode, verify.stderr).toBe(0);
    },
    RUN_TIMEOUT * 2,
  );

  it.skipIf(examplesMissing('chefcloud-local incident', NEEDS))(
    'incident.yml --env p1 after a release: site down → immediate `shipgate rollback`, flags disabled, site back',
    async () => {
      const { dir, db, env } = await useExample();
      const keep = { ...env, CHEFCLOUD_LOCAL_KEEP: '1' };
      const release = await shipgate(['run', '--env', 'local', '--release', 'v2.1.0', '--no-prompt'], { cwd: dir, env: keep, timeoutMs: RUN_TIMEOUT });
      const released = await approveUntilDone(dir, release, () => MANAGER, keep, RUN_TIMEOUT);
      expect(released.last.exitCode, released.last.stdout).toBe(0);
      expect(released.last.stdout).toMatch(/- teardown skipped/);
      execFileSync('bash', ['scripts/stop-api.sh'], { cwd: dir, stdio: 'ignore' }); // P1: the site is down

      const incidentEnv = { ...env, SHIPGATE_ACTOR: 'oncall@chefcloud.example', DISABLE_FLAGS: 'yes', SHIPGATE_CLI: `node ${BIN}` };
      const first = await shipgate(['run', 'incident.yml', '--env', 'p1', '--no-prompt'], { cwd: dir, env: incidentEnv, timeoutMs: RUN_TIMEOUT });
      expect(first.exitCode, first.stdout + first.stderr).toBe(3);
      const { last, approved, output } = await approveUntilDone(dir, first, () => 'oncall@chefcloud.example', incidentEnv, RUN_TIMEOUT);
      expect(approved).toEqual(['acknowledge', 'severity-response', 'communicate']);
      expect(last.exitCode, last.stdout + last.stderr).toBe(0);
      expect(output).toMatch(/! health failed-continued .*refused/);
      expect(output).toMatch(/rollback│ run \S+ succeeded/);
      expect(output).toMatch(/✓ flags-off passed/);
      expect(output).toMatch(/✓ verify passed/);

      // The rollback was a recorded run of its own in the release environment; the data is the pre-migration one.
      const runs = JSON.parse((await shipgate(['runs', '--json'], { cwd: dir, env })).stdout) as Array<{ environment?: string; status: string; release?: string | null }>;
      expect(runs.filter((r) => r.status === 'succeeded').length).toBe(3);
      expect(psql(db, 'SELECT string_agg(migration_name, \',\') FROM "_prisma_migrations"')).toBe('20260101000000_init');
      const verify = await shipgate(['evidence', 'verify'], { cwd: dir, env });
      expect(verify.exitCode, verify.stderr).toBe(0);
    },
    RUN_TIMEOUT * 3,
  );
});
