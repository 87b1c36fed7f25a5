import { afterEach, describe, expect, it } from 'vitest';
import { shipgate, tempProject } from '../support/cli.js';
import { createTestSchema, postgresAvailable } from '../support/postgres.js';

const pg = await postgresAvailable();
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

// The same run, approval and resume as with SQLite, with the state in Postgres (team mode):
// two "operators" in different directories share one store through SHIPGATE_DATABASE_URL.
describe.skipIf(!pg)('engine on the Postgres store (team mode)', () => {
  it('runs, waits, is approved from another directory, resumes, and verifies', async () => {
    const schema = createTestSchema('sg_engine');
    cleanups.push(() => schema.drop());
    const runbook = `version: 1
name: team
roles:
  admin: { members: [bob@example.com] }
environments:
  prod: {}
phases:
  - id: p
    steps:
      - id: build
        run: echo built
      - id: sign-off
        manual: { role: admin, checklist: [Looks right] }
      - id: ship
        run: echo shipped
`;
    const alice = tempProject(runbook);
    const bob = tempProject(runbook);
    cleanups.push(alice.cleanup, bob.cleanup);
    const env = { SHIPGATE_DATABASE_URL: schema.url };
    expect((await shipgate(['run', '--env', 'prod'], { cwd: alice.dir, env })).exitCode).toBe(3);
    // Bob, elsewhere, sees Alice's run through the shared store.
    const runs = JSON.parse((await shipgate(['runs', '--json'], { cwd: bob.dir, env })).stdout);
    expect(runs[0]).toMatchObject({ status: 'waiting', actor: { id: 'alice@example.com' } });
    const second = await shipgate(['run', '--env', 'prod'], { cwd: bob.dir, env: { ...env, SHIPGATE_ACTOR: 'bob@example.com' } });
    expect(second.exitCode).toBe(4); // the lock is shared too
    const ok = await shipgate(['approve', runs[0].id, 'sign-off', '--all-pass'], { cwd: bob.dir, env: { ...env, SHIPGATE_ACTOR: 'bob@example.com' } });
    expect(ok.exitCode, ok.stderr).toBe(0);
    const done = await shipgate(['resume', runs[0].id], { cwd: alice.dir, env });
    expect(done.exitCode, done.stdout + done.stderr).toBe(0);
    expect(done.stdout).toContain('✓ ship passed');
    const verify = await shipgate(['evidence', 'verify'], { cwd: bob.dir, env });
    expect(verify.exitCode, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/ledger OK: \d+ entries/);
  });
});
