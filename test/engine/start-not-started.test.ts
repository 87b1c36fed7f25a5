import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { shipgate, spawnShipgate, tempProject } from '../support/cli.js';
import { createTestSchema, PG_ADMIN_URL, postgresAvailable } from '../support/postgres.js';

const pgUp = await postgresAvailable();
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

// `before` lets the test take a lock on the ledger table, so the commit of `migrate`'s start
// (made while its shell waits at the start gate) blocks in Postgres; Ctrl-C arrives during it.
const runbook = `version: 1
name: not-started
environments:
  prod: {}
phases:
  - id: release
    steps:
      - id: before
        run: |
          touch ready
          while [ ! -f locked ]; do sleep 0.05; done
      - id: migrate
        run: echo x >> migrate.count
      - id: after
        run: echo x >> after.count
`;

describe.skipIf(!pgUp)('Ctrl-C while a step\'s start is being recorded (Postgres store)', () => {
  it('records that nothing ran; the step is pending again and resume runs it without --rerun', async () => {
    const schema = createTestSchema('sg_notstarted');
    cleanups.push(() => schema.drop());
    const p = tempProject(runbook);
    cleanups.push(p.cleanup);
    const env = { SHIPGATE_DATABASE_URL: schema.url };

    const child = spawnShipgate(['run', '--env', 'prod'], { cwd: p.dir, env });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    await until('the before step', () => existsSync(join(p.dir, 'ready')));

    const locker = new pg.Client({ connectionString: PG_ADMIN_URL });
    await locker.connect();
    cleanups.push(() => locker.end());
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE ${schema.schema}.ledger IN EXCLUSIVE MODE`);
    writeFileSync(join(p.dir, 'locked'), '');
    // The engine now waits for the lock, in the commit that records migrate's start.
    await until('the engine to wait for the ledger lock', async () => {
      const r = await locker.query(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = '${schema.schema}.ledger'::regclass`);
      return r.rows[0].n > 0;
    });
    child.kill('SIGINT');
    await until('the interrupt to be seen', () => stderr.includes('shipgate: interrupting'));
    await locker.query('COMMIT');
    const first = await child;

    expect(first.exitCode).toBe(130);
    expect(existsSync(join(p.dir, 'migrate.count'))).toBe(false);
    expect(String(first.stdout)).toMatch(/migrate not started: interrupted before its command started .*nothing ran/);
    const run = (JSON.parse((await shipgate(['runs', '--json'], { cwd: p.dir, env })).stdout) as Array<{ id: string; status: string }>)[0]!;
    expect(run.status).toBe('interrupted');
    expect((await shipgate(['status', run.id], { cwd: p.dir, env })).stdout).toMatch(/migrate\s+pending/);
    // The ledger says so; the tables agree with it (verify replays the ledger).
    const kinds = await locker.query(`SELECT kind FROM ${schema.schema}.ledger WHERE step_id = 'migrate' ORDER BY seq`);
    expect(kinds.rows.map((r) => r.kind)).toEqual(['step-started', 'step-spawned', 'step-not-started']);
    const verifyPending = await shipgate(['evidence', 'verify'], { cwd: p.dir, env });
    expect(verifyPending.exitCode, verifyPending.stdout + verifyPending.stderr).toBe(0);

    // migrate is not idempotent, yet resume does not ask: it never ran.
    const resumed = await shipgate(['resume', run.id], { cwd: p.dir, env });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(readFileSync(join(p.dir, 'migrate.count'), 'utf8')).toBe('x\n');
    expect(readFileSync(join(p.dir, 'after.count'), 'utf8')).toBe('x\n');
    const verify = await shipgate(['evidence', 'verify'], { cwd: p.dir, env });
    expect(verify.exitCode, verify.stdout + verify.stderr).toBe(0);
  });
});

describe('Ctrl-C while a failed step waits to retry', () => {
  it('ends the step interrupted (its first attempt ran): resume asks, and no attempt beyond the retry budget runs', async () => {
    const p = tempProject(`version: 1
name: retry-interrupt
environments:
  prod: {}
phases:
  - id: release
    steps:
      - id: migrate
        run: |
          echo x >> migrate.count
          exit 1
        retries: { count: 1, delay: 30s }
`);
    cleanups.push(p.cleanup);
    const child = spawnShipgate(['run', '--env', 'prod'], { cwd: p.dir });
    let stdout = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    await until('the retry wait', () => stdout.includes('retry 2 in'));
    child.kill('SIGINT');
    expect((await child).exitCode).toBe(130);
    expect(readFileSync(join(p.dir, 'migrate.count'), 'utf8')).toBe('x\n');
    const runs = JSON.parse((await shipgate(['runs', '--json'], { cwd: p.dir })).stdout) as Array<{ id: string }>;
    expect((await shipgate(['status', runs[0]!.id], { cwd: p.dir })).stdout).toMatch(/migrate\s+interrupted/);
    const resumed = await shipgate(['resume', runs[0]!.id], { cwd: p.dir });
    expect(resumed.stderr).toContain('error SG_RESUME_NEEDS_DECISION');
    expect(readFileSync(join(p.dir, 'migrate.count'), 'utf8')).toBe('x\n');
  });
});
