import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lastRunId, shipgate, useTempProjects } from '../support/cli.js';

const project = useTempProjects(afterEach);
const as = (actor: string) => ({ env: { SHIPGATE_ACTOR: actor } });

const RUNBOOK = `version: 1
name: approvals
roles:
  administrator: { members: [alice@example.com, bob@example.com, carol@example.com] }
  empty: { members: [dave@example.com] }
environments:
  prod: {}
phases:
  - id: release
    rollback-on-failure: true
    steps:
      - id: deploy
        run: echo deployed > deployed.txt
      - id: ui-verification
        manual:
          role: administrator
          approvals: 2
          self-approval: false
          checklist: [Login works, Export works]
          instructions: Open the site and check each item.
      - id: record
        run: echo recorded
rollback:
  steps:
    - id: restore
      run: echo restored
`;

describe('manual steps and approvals', () => {
  it('waits (exit 3), enforces role, self-approval and quorum, then resumes to success', async () => {
    const dir = project(RUNBOOK);
    const started = await shipgate(['run', '--env', 'prod'], { cwd: dir, ...as('alice@example.com') });
    expect(started.exitCode).toBe(3);
    expect(started.stdout).toContain('⏸ ui-verification waiting for 2 approval(s) from role administrator (not the run starter)');
    expect(started.stdout).toContain('1. Login works');
    const run = await lastRunId(dir);

    const outsider = await shipgate(['approve', run, 'ui-verification', '--all-pass'], { cwd: dir, ...as('dave@example.com') });
    expect(outsider.exitCode).toBe(2);
    expect(outsider.stderr).toContain('error SG_NOT_IN_ROLE: dave@example.com is not a member of role "administrator"');

    const self = await shipgate(['approve', run, 'ui-verification', '--all-pass'], { cwd: dir, ...as('alice@example.com') });
    expect(self.exitCode).toBe(2);
    expect(self.stderr).toContain('SG_SELF_APPROVAL');
    // The same person in other letters is still the starter.
    const shouting = await shipgate(['approve', run, 'ui-verification', '--all-pass'], { cwd: dir, ...as('Alice@Example.com') });
    expect(shouting.exitCode).toBe(2);
    expect(shouting.stderr).toContain('SG_SELF_APPROVAL');

    const failedItem = await shipgate(['approve', run, 'ui-verification', '--item', '1=pass', '--item', '2=fail:button missing'], { cwd: dir, ...as('bob@example.com') });
    expect(failedItem.exitCode).toBe(2);
    expect(failedItem.stderr).toContain('SG_CHECKLIST_FAILED');

    const one = await shipgate(['approve', run, 'ui-verification', '--item', '1=pass', '--item', '2=pass:exported a CSV'], { cwd: dir, ...as('bob@example.com') });
    expect(one.exitCode, one.stderr).toBe(0);
    expect(one.stdout).toContain('1 more approval(s) needed');

    const twice = await shipgate(['approve', run, 'ui-verification', '--all-pass'], { cwd: dir, ...as('bob@example.com') });
    expect(twice.stderr).toContain('SG_ALREADY_DECIDED');
    // status names who is left: not bob (approved), not alice (started the run).
    expect((await shipgate(['status', run], { cwd: dir })).stdout).toContain('ui-verification needs 1 more approval(s) from role administrator: carol@example.com');

    const stillWaiting = await shipgate(['resume', run], { cwd: dir, ...as('alice@example.com') });
    expect(stillWaiting.exitCode).toBe(3);

    expect((await shipgate(['approve', run, 'ui-verification', '--all-pass'], { cwd: dir, ...as('carol@example.com') })).exitCode).toBe(0);
    // Quorum reached: the next thing is to resume, not to approve again.
    const decided = await shipgate(['status', run], { cwd: dir });
    expect(decided.stdout).toContain(`next: shipgate resume ${run}`);
    expect(decided.stdout).not.toContain('shipgate approve');
    const done = await shipgate(['resume', run], { cwd: dir, ...as('alice@example.com') });
    expect(done.exitCode, done.stdout + done.stderr).toBe(0);
    expect(done.stdout).toContain('✓ ui-verification passed');
    expect(done.stdout).toContain('✓ record passed');

    const status = await shipgate(['status', run], { cwd: dir });
    expect(status.stdout).toContain('approved by bob@example.com (asserted-env)');
    expect(status.stdout).toContain('2. Export works — pass (exported a CSV)');
    const again = await shipgate(['resume', run], { cwd: dir });
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('SG_RUN_FINISHED');
  });

  it('a rejection fails the step and runs the rollback', async () => {
    const dir = project(RUNBOOK);
    expect((await shipgate(['run', '--env', 'prod'], { cwd: dir, ...as('alice@example.com') })).exitCode).toBe(3);
    const run = await lastRunId(dir);
    const noNote = await shipgate(['reject', run, 'ui-verification'], { cwd: dir, ...as('bob@example.com') });
    expect(noNote.exitCode).toBe(2); // --note is required
    expect((await shipgate(['reject', run, 'ui-verification', '--note', 'export broken'], { cwd: dir, ...as('bob@example.com') })).exitCode).toBe(0);
    const r = await shipgate(['resume', run], { cwd: dir, ...as('alice@example.com') });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('✗ ui-verification rejected');
    expect(r.stdout).toContain('rejected by bob@example.com: export broken');
    expect(r.stdout).toContain('✓ restore passed');
    expect(r.stdout).toMatch(/run \S+ rolled-back/);
  });

  it('refuses to start a run whose gate its starter makes impossible to pass (self-approval: false)', async () => {
    const dir = project(RUNBOOK.replace('members: [alice@example.com, bob@example.com, carol@example.com]', 'members: [alice@example.com, bob@example.com]'));
    const r = await shipgate(['run', '--env', 'prod'], { cwd: dir, ...as('alice@example.com') });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`error SG_GATE_UNPASSABLE: step ui-verification needs 2 approval(s) from role "administrator" other than the run's starter (alice@example.com), but only 1 member(s) could give them (bob@example.com); nothing was run`);
    expect(JSON.parse((await shipgate(['runs', '--json'], { cwd: dir })).stdout)).toEqual([]);
    // Started by someone outside the role, both members can approve: it runs.
    expect((await shipgate(['run', '--env', 'prod'], { cwd: dir, ...as('release-bot@example.com') })).exitCode).toBe(3);
  });

  it('counts one person listed twice in different case once', async () => {
    const dir = project(RUNBOOK.replace('members: [alice@example.com, bob@example.com, carol@example.com]', 'members: [Bob@example.com, bob@example.com]'));
    const r = await shipgate(['run', '--env', 'prod'], { cwd: dir, ...as('release-bot@example.com') });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error SG_GATE_UNPASSABLE: step ui-verification needs 2 approval(s)');
  });

  it('counts a rollback gate too: a rollback within the run has the same starter', async () => {
    const dir = project(RUNBOOK.replace(`rollback:
  steps:
    - id: restore
      run: echo restored`, `rollback:
  steps:
    - id: restore
      run: echo restored
    - id: rollback-check
      manual: { role: empty, approvals: 1, self-approval: false }`));
    const r = await shipgate(['run', '--env', 'prod'], { cwd: dir, ...as('dave@example.com') });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error SG_GATE_UNPASSABLE: step rollback-check needs 1 approval(s) from role "empty" other than the run\'s starter (dave@example.com)');
  });

  it('refuses to approve a step that is not waiting', async () => {
    const dir = project(RUNBOOK);
    await shipgate(['run', '--env', 'prod'], { cwd: dir, ...as('alice@example.com') });
    const run = await lastRunId(dir);
    const r = await shipgate(['approve', run, 'record', '--all-pass'], { cwd: dir, ...as('bob@example.com') });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`error SG_STEP_NOT_WAITING: step record of run ${run} is not waiting for approval (it is not started)`);
    expect(r.stderr).toContain(`→ shipgate status ${run}`);
  });

  it('holds the environment lock while waiting: a second run exits 4 naming the holder', async () => {
    const dir = project(RUNBOOK);
    await shipgate(['run', '--env', 'prod'], { cwd: dir, ...as('alice@example.com') });
    const run = await lastRunId(dir);
    const second = await shipgate(['run', '--env', 'prod'], { cwd: dir, ...as('bob@example.com') });
    expect(second.exitCode).toBe(4);
    expect(second.stderr).toContain(`error SG_ENV_LOCKED: environment prod is locked by run ${run}`);
    expect((await shipgate(['cancel', run, '--reason', 'abandoned'], { cwd: dir })).exitCode).toBe(0);
    expect((await shipgate(['run', '--env', 'prod'], { cwd: dir, ...as('bob@example.com') })).exitCode).toBe(3);
    // The cancelled run's gate still reads `waiting` in its last row, but it can no longer be decided.
    const late = await shipgate(['approve', run, 'ui-verification', '--all-pass'], { cwd: dir, ...as('bob@example.com') });
    expect(late.exitCode).toBe(2);
    expect(late.stderr).toContain(`error SG_RUN_FINISHED: run ${run} already finished (cancelled)`);
    const kinds = JSON.parse((await shipgate(['evidence', 'show', run, '--json'], { cwd: dir })).stdout).entries.map((e: { kind: string }) => e.kind);
    expect(kinds.at(-1)).toBe('run-finished');
    const status = (await shipgate(['status', run], { cwd: dir })).stdout;
    expect(status).toMatch(/- ui-verification\s+not decided \(cancelled\)/);
    expect(status).not.toContain('⏸');
    const again = await shipgate(['resume', run], { cwd: dir });
    expect(again.stderr).toContain(`start a new one: shipgate run`);
  });
});

/** A one-step release whose rollback step writes the release.version it was given. */
const releaseRunbook = (deploy: string) => `version: 1
name: rel
environments:
  prod: {}
phases:
  - id: release
    steps:
      - { id: deploy, run: "${deploy}" }
rollback:
  steps:
    - { id: previous, run: "echo rolling back \${{ release.version }} > rolled-back.txt" }
`;

describe('shipgate rollback', () => {
  it('refuses without --yes off a terminal, then runs the rollback steps as a recorded run', async () => {
    const dir = project(RUNBOOK);
    const refused = await shipgate(['rollback', '--env', 'prod', '--reason', 'P1: site down'], { cwd: dir });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('error SG_NOT_CONFIRMED');
    const r = await shipgate(['rollback', '--env', 'prod', '--reason', 'P1: site down', '--yes'], { cwd: dir });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    // No release run before it: no release, and the reason is said as the reason.
    expect(r.stdout).toContain('→ prod, rollback: P1: site down, 1 step(s)');
    expect(r.stdout).toContain('✓ restore passed');
    expect(r.stdout).not.toContain('deploy');
    const runs = JSON.parse((await shipgate(['runs', '--json'], { cwd: dir })).stdout);
    expect(runs[0]).toMatchObject({ status: 'succeeded', release: null, purpose: 'rollback', reason: 'P1: site down' });
  });

  it("gives rollback steps the rolled-back run's release as release.version (or --release), and keeps the reason apart", async () => {
    const dir = project(releaseRunbook('echo deploying \${{ release.version }}'));
    const release = await shipgate(['run', '--env', 'prod', '--release', '1.4.0'], { cwd: dir });
    expect(release.exitCode, release.stdout + release.stderr).toBe(0);
    const releaseRun = await lastRunId(dir);
    const r = await shipgate(['rollback', '--env', 'prod', '--reason', 'P1: 500s after 1.4.0', '--yes'], { cwd: dir });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`rolling back run ${releaseRun}`);
    expect(r.stdout).toContain('(release 1.4.0), rollback: P1: 500s after 1.4.0');
    expect(readFileSync(join(dir, 'rolled-back.txt'), 'utf8').trim()).toBe('rolling back 1.4.0');
    const rollbackRun = await lastRunId(dir);
    const status = await shipgate(['status', rollbackRun], { cwd: dir });
    expect(status.stdout).toContain(`(release 1.4.0); rollback of run ${releaseRun}: P1: 500s after 1.4.0`);
    const runs = await shipgate(['runs'], { cwd: dir });
    expect(runs.stdout).toMatch(/rollback of 1\.4\.0 .*\(P1: 500s after 1\.4\.0\)/);
    // --release names it when the release run is not in this store (or to be explicit).
    const named = await shipgate(['rollback', '--env', 'prod', '--reason', 'drill', '--release', '1.3.9', '--yes'], { cwd: dir });
    expect(named.exitCode, named.stdout + named.stderr).toBe(0);
    expect(readFileSync(join(dir, 'rolled-back.txt'), 'utf8').trim()).toBe('rolling back 1.3.9');
  });

  it('a rollback step reading release.version with no release anywhere refuses before anything runs, naming shipgate rollback --release', async () => {
    const dir = project(releaseRunbook('true'));
    const r = await shipgate(['rollback', '--env', 'prod', '--reason', 'drill', '--yes'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error SG_RELEASE_REQUIRED');
    expect(r.stderr).toContain('shipgate rollback');
    expect(r.stderr).toContain('--release <version>');
    expect(existsSync(join(dir, 'rolled-back.txt'))).toBe(false);
  });
});
