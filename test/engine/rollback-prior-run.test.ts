import { afterEach, describe, expect, it } from 'vitest';
import { lastRunId, shipgate, useTempProjects } from '../support/cli.js';

const project = useTempProjects(afterEach);
const runbook = (restore: string) => `version: 1
name: app
environments:
  prod: {}
  staging: {}
phases:
  - id: release
    rollback-on-failure: true
    steps:
      - id: backup
        run: echo "id=bk-\${{ raw(environment.name) }}-1" >> "$SHIPGATE_OUTPUT"
      - id: deploy
        run: echo deployed
rollback:
  steps:
      - id: stop
        run: echo stopping
      - id: restore
        run: ${restore}
`;
const as = { env: { SHIPGATE_ACTOR: 'oncall@example.com' } };

describe('shipgate rollback reads the outputs of the release it rolls back', () => {
  it('refuses before anything runs when no earlier run has the step it reads (and no fallback is given)', async () => {
    const dir = project(runbook('echo restoring ${{ steps.backup.outputs.id }}'));
    const r = await shipgate(['rollback', '--env', 'prod', '--reason', 'P1', '--yes'], { cwd: dir, ...as });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error SG_ROLLBACK_NEEDS_RUN: rollback step restore reads steps.backup.outputs.id, which a rollback on its own does not produce, and no earlier run of app in prod has it');
    expect(r.stderr).toContain('--from-run RUN');
    expect(JSON.parse((await shipgate(['runs', '--json'], { cwd: dir })).stdout)).toEqual([]);
  });

  it('refuses when the newest release run did not produce the value (its backup step was skipped), pointing to --from-run', async () => {
    const dir = project(runbook('echo restoring ${{ steps.backup.outputs.id }}').replace('      - id: backup\n', "      - id: backup\n        if: env.SKIP_BACKUP != '1'\n"));
    expect((await shipgate(['run', '--env', 'prod'], { cwd: dir, ...as })).exitCode).toBe(0);
    const withBackup = await lastRunId(dir);
    expect((await shipgate(['run', '--env', 'prod'], { cwd: dir, env: { ...as.env, SKIP_BACKUP: '1' } })).exitCode).toBe(0);
    const skipped = await lastRunId(dir);
    const r = await shipgate(['rollback', '--env', 'prod', '--reason', 'P1', '--yes'], { cwd: dir, ...as });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`reads steps.backup.outputs.id, which a rollback on its own does not produce, and run ${skipped} (the newest of app in prod) has no value for it`);
    // It does not quietly fall back to an older release's backup; naming that run is the operator's call.
    const named = await shipgate(['rollback', '--env', 'prod', '--reason', 'P1', '--yes', '--from-run', withBackup], { cwd: dir, ...as });
    expect(named.exitCode, named.stdout + named.stderr).toBe(0);
    expect(named.stdout).toContain('restoring bk-prod-1');
  });

  it('takes them from the newest run of the runbook in that environment, and freezes them in the plan', async () => {
    const dir = project(runbook('echo restoring ${{ steps.backup.outputs.id }}'));
    expect((await shipgate(['run', '--env', 'staging'], { cwd: dir, ...as })).exitCode).toBe(0);
    expect((await shipgate(['run', '--env', 'prod'], { cwd: dir, ...as })).exitCode).toBe(0);
    const release = await lastRunId(dir);
    const r = await shipgate(['rollback', '--env', 'prod', '--reason', 'P1', '--yes'], { cwd: dir, ...as });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`rolling back run ${release} (started `);
    expect(r.stdout).toContain('restoring bk-prod-1');
    const plan = JSON.parse((await shipgate(['plan', '--env', 'prod', '--json'], { cwd: dir })).stdout);
    expect(plan.priorRun).toBeUndefined(); // a forward plan has none
    const rollbackRun = await lastRunId(dir);
    const shown = JSON.parse((await shipgate(['evidence', 'show', rollbackRun, '--json'], { cwd: dir })).stdout);
    expect(JSON.parse(shown.run.planJson).priorRun.id).toBe(release);
    // A finished rollback is started again as a rollback, not as a release.
    expect((await shipgate(['resume', rollbackRun], { cwd: dir })).stderr).toContain('start a new one: shipgate rollback');
  });

  it('--from-run names the run; a run of another environment is refused', async () => {
    const dir = project(runbook('echo restoring ${{ steps.backup.outputs.id }}'));
    await shipgate(['run', '--env', 'staging'], { cwd: dir, ...as });
    const staging = await lastRunId(dir);
    const wrong = await shipgate(['rollback', '--env', 'prod', '--reason', 'P1', '--yes', '--from-run', staging], { cwd: dir, ...as });
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toContain(`error SG_ROLLBACK_WRONG_RUN: run ${staging} is a run of app in staging, not of app in prod`);
    const right = await shipgate(['rollback', '--env', 'staging', '--reason', 'P1', '--yes', '--from-run', staging], { cwd: dir, ...as });
    expect(right.exitCode, right.stdout + right.stderr).toBe(0);
    expect(right.stdout).toContain('restoring bk-staging-1');
  });

  it('a "fallback" that is itself a read (|| env.UNSET) is no fallback', async () => {
    const dir = project(runbook('echo restoring ${{ steps.backup.outputs.id || env.NOPE_UNSET }}'));
    const r = await shipgate(['rollback', '--env', 'prod', '--reason', 'P1', '--yes'], { cwd: dir, ...as });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error SG_ROLLBACK_NEEDS_RUN');
  });

  it('a read with a fallback runs without an earlier run', async () => {
    const dir = project(runbook("echo restoring ${{ steps.backup.outputs.id || 'latest-verified' }}"));
    const r = await shipgate(['rollback', '--env', 'prod', '--reason', 'P1', '--yes'], { cwd: dir, ...as });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('restoring latest-verified');
  });

  it("after a release, a read with a fallback takes that release's value (the backup taken before it), not the fallback", async () => {
    const dir = project(runbook("echo restoring ${{ steps.backup.outputs.id || 'latest-verified' }}"));
    expect((await shipgate(['run', '--env', 'prod', '--release', '2.0.0'], { cwd: dir, ...as })).exitCode).toBe(0);
    const release = await lastRunId(dir);
    const r = await shipgate(['rollback', '--env', 'prod', '--reason', 'P1', '--yes'], { cwd: dir, ...as });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`rolling back run ${release} (started `);
    expect(r.stdout).toContain('restoring bk-prod-1');
  });
});

describe('an action input that comes from an empty expression', () => {
  it('names the expression, not only the type the action expected', async () => {
    const dir = project(`version: 1
name: app
environments:
  prod: {}
phases:
  - id: p
    steps:
      - id: find
        run: echo "nothing written to SHIPGATE_OUTPUT"
      - id: probe
        uses: check/http
        with:
          url: \${{ steps.find.outputs.url }}
`);
    const r = await shipgate(['run', '--env', 'prod'], { cwd: dir, ...as });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('with: url: Invalid input: expected string, received null (from ${{ steps.find.outputs.url }}, which has no value here)');
  });

  it('says nothing about the expression when it had a value that is wrong', async () => {
    const dir = project(`version: 1
name: app
environments:
  prod: { vars: { HOST: "api.example.com" } }
phases:
  - id: p
    steps:
      - id: probe
        uses: check/http
        with:
          url: \${{ vars.HOST }}/health
`);
    const r = await shipgate(['run', '--env', 'prod'], { cwd: dir, ...as });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('with: url:');
    expect(r.stdout).not.toContain('which has no value here');
  });
});
