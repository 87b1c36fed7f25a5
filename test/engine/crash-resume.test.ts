import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { lastRunId, shipgate, spawnShipgate, tempProject } from '../support/cli.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).reverse().forEach((c) => c()));
function project(runbook: string) {
  const p = tempProject(runbook);
  cleanups.push(p.cleanup);
  // kill -9 of shipgate orphans the step's process group (nothing can prevent that); end it here.
  cleanups.push(() => {
    try {
      process.kill(-Number(readFileSync(join(p.dir, 'migrate.pgid'), 'utf8')), 'SIGKILL');
    } catch {
      /* already gone */
    }
  });
  return p.dir;
}

const runbook = (idempotent: boolean) => `version: 1
name: crash
environments:
  prod: {}
phases:
  - id: release
    steps:
      - id: before
        run: echo x >> before.count
      - id: migrate
        idempotent: ${idempotent}
        run: |
          echo x >> migrate.count
          echo $$ > migrate.pgid
          touch migrate.started
          sleep 30
      - id: after
        run: echo x >> after.count
`;

async function waitFor(path: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!existsSync(path)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${path}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
/** Private temp roots for the CLI, so what a killed driver left behind can be seen and counted. */
function privateTempRoots(dir: string) {
  const roots = { TMPDIR: join(dir, 'tmp'), XDG_RUNTIME_DIR: join(dir, 'run') };
  for (const r of Object.values(roots)) mkdirSync(r);
  const leftovers = () => [...readdirSync(roots.TMPDIR), ...readdirSync(roots.XDG_RUNTIME_DIR)].filter((f) => f.startsWith('shipgate-'));
  return { roots, leftovers };
}
const lines = (dir: string, f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8').trim().split('\n').length : 0);

describe('crash safety and resume', () => {
  it('after kill -9, resume refuses to guess about a non-idempotent step, --skip with a reason continues; finished steps never run twice', async () => {
    const dir = project(runbook(false));
    const child = spawnShipgate(['run', '--env', 'prod'], { cwd: dir });
    await waitFor(join(dir, 'migrate.started'));
    child.kill('SIGKILL');
    await child;
    const run = await lastRunId(dir);

    expect((await shipgate(['runs'], { cwd: dir })).stdout).toMatch(new RegExp(`${run}\\s+interrupted\\?`));
    const status = await shipgate(['status', run], { cwd: dir });
    expect(status.stdout).toMatch(/migrate\s+running/);

    // The step's process group survived the kill -9: resume must not start a second one beside it.
    const pgid = Number(readFileSync(join(dir, 'migrate.pgid'), 'utf8'));
    // Before any choice about the step: it is still running (exit 4), with or without --rerun.
    const plain = await shipgate(['resume', run], { cwd: dir });
    expect(plain.exitCode).toBe(4);
    expect(plain.stderr).toContain('error SG_STEP_STILL_RUNNING');
    const orphan = await shipgate(['resume', run, '--rerun', 'migrate'], { cwd: dir });
    expect(orphan.exitCode).toBe(4);
    expect(orphan.stderr).toContain(`error SG_STEP_STILL_RUNNING: step migrate of run ${run} is still running from before the interruption (process group ${pgid}`);
    process.kill(-pgid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));

    const undecided = await shipgate(['resume', run], { cwd: dir });
    expect(undecided.exitCode).toBe(2);
    expect(undecided.stderr).toContain('error SG_RESUME_NEEDS_DECISION: step migrate of run');
    expect(undecided.stderr).toContain(`shipgate resume ${run} --rerun migrate`);

    const r = await shipgate(['resume', run, '--skip', 'migrate', '--reason', 'verified by hand: alembic at head'], { cwd: dir });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('skipped on resume by alice@example.com: verified by hand');
    expect([lines(dir, 'before.count'), lines(dir, 'migrate.count'), lines(dir, 'after.count')]).toEqual([1, 1, 1]);
    expect((await shipgate(['evidence', 'verify'], { cwd: dir })).exitCode).toBe(0);
  });

  it('status after kill -9 says the driver is gone and names the commands resume accepts, not a plain resume it would refuse', async () => {
    const dir = project(runbook(false).replace('sleep 30', '[ -f second ] || { touch second; sleep 30; }'));
    const child = spawnShipgate(['run', '--env', 'prod'], { cwd: dir });
    await waitFor(join(dir, 'migrate.started'));
    const run = await lastRunId(dir);
    const pgid = Number(readFileSync(join(dir, 'migrate.pgid'), 'utf8'));
    const driven = (await shipgate(['status', run], { cwd: dir })).stdout;
    expect(driven).toContain(`run ${run}  running (driven by pid ${child.pid})`);
    expect(driven).not.toContain('next:'); // resume would refuse: the run is being driven
    child.kill('SIGKILL');
    await child;

    // While the cut-off step's process group lives on, status says so before anything else.
    const live = await shipgate(['status', run], { cwd: dir });
    expect(live.exitCode).toBe(0);
    expect(live.stdout).toContain(`run ${run}  running (driver pid ${child.pid} is gone: interrupted)`);
    expect(live.stdout).toContain(`step migrate is still running from before the interruption (process group ${pgid}): wait for it to end, or stop it (kill -TERM -${pgid}); then`);
    process.kill(-pgid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));

    const status = await shipgate(['status', run], { cwd: dir });
    expect(status.stdout).not.toContain('still running from before');
    expect(status.stdout).toContain('migrate was cut off and is not idempotent: check whether it took effect, then');
    expect(status.stdout).toContain(`next: shipgate resume ${run} --rerun migrate   (it did not: run again)`);
    expect(status.stdout).toContain(`  or: shipgate resume ${run} --skip migrate --reason "…"   (it did)`);
    expect(status.stdout).not.toMatch(new RegExp(`next: shipgate resume ${run}$`, 'm'));
    const json = JSON.parse((await shipgate(['status', run, '--json'], { cwd: dir })).stdout) as { driver: unknown; next: string[] };
    expect(json.driver).toEqual({ kind: 'gone', pid: child.pid });
    expect(json.next).toEqual([`shipgate resume ${run} --rerun migrate`, `shipgate resume ${run} --skip migrate --reason "…"`]);

    // The command status printed is one resume accepts.
    const r = await shipgate(['resume', run, '--rerun', 'migrate'], { cwd: dir });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
  });

  it('re-runs an idempotent step automatically after kill -9, and removes the killed driver\'s temp dirs', async () => {
    const dir = project(runbook(true).replace('sleep 30', '[ -f second ] || { touch second; sleep 30; }'));
    const { roots, leftovers } = privateTempRoots(dir);
    const child = spawnShipgate(['run', '--env', 'prod'], { cwd: dir, env: roots });
    await waitFor(join(dir, 'migrate.started'));
    child.kill('SIGKILL');
    await child;
    process.kill(-Number(readFileSync(join(dir, 'migrate.pgid'), 'utf8')), 'SIGKILL'); // the orphan, as an operator would
    await new Promise((r) => setTimeout(r, 200));
    const run = await lastRunId(dir);
    // An idempotent step re-runs by itself: plain resume is the whole answer.
    expect((await shipgate(['status', run], { cwd: dir })).stdout).toMatch(new RegExp(`^  next: shipgate resume ${run}$`, 'm'));
    expect(leftovers()).toEqual([expect.stringContaining(run), expect.stringContaining(run)]);
    // A directory with the run's name that another user made (the temp roots are shared): not
    // ours to delete, and no reason to fail. Needs root to make it; CI runs as root.
    const foreign = join(roots.XDG_RUNTIME_DIR, `shipgate-${run}-planted`);
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      mkdirSync(foreign);
      chownSync(foreign, 65534, 65534);
    }
    // As if the killed driver had run on another machine (team mode): the resuming host takes over.
    const db = new Database(join(dir, '.shipgate', 'state.db'));
    db.prepare('UPDATE runs SET host = ? WHERE id = ?').run('build-07.elsewhere', run);
    db.close();
    const r = await shipgate(['resume', run], { cwd: dir, env: roots });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('re-running migrate');
    const after = new Database(join(dir, '.shipgate', 'state.db'), { readonly: true });
    expect(after.prepare('SELECT host FROM runs WHERE id = ?').get(run)).toEqual({ host: hostname() });
    after.close();
    expect([lines(dir, 'before.count'), lines(dir, 'migrate.count'), lines(dir, 'after.count')]).toEqual([1, 2, 1]);
    expect(leftovers()).toEqual(asRoot ? [`shipgate-${run}-planted`] : []);
  });

  it('cancelling a run whose driver was killed: refused while its step still runs, then removes the temp dirs it left, from another shell too', async () => {
    const dir = project(runbook(false));
    const { roots, leftovers } = privateTempRoots(dir);
    const child = spawnShipgate(['run', '--env', 'prod'], { cwd: dir, env: roots });
    await waitFor(join(dir, 'migrate.started'));
    child.kill('SIGKILL');
    await child;
    const run = await lastRunId(dir);
    // The cut-off step still runs in its own process group: cancel refuses, and keeps its files.
    const refused = await shipgate(['cancel', run, '--reason', 'abandoned after a crash'], { cwd: dir, env: roots });
    expect(refused.exitCode).toBe(4);
    expect(refused.stderr).toContain(`error SG_STEP_STILL_RUNNING: step migrate of run ${run} is still running`);
    expect(leftovers()).toHaveLength(2);
    process.kill(-Number(readFileSync(join(dir, 'migrate.pgid'), 'utf8')), 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    // Cancelled from a shell whose TMPDIR and XDG_RUNTIME_DIR differ: the roots the killed driver
    // recorded with run-started are searched too.
    const elsewhere = { TMPDIR: join(dir, 'other-tmp'), XDG_RUNTIME_DIR: join(dir, 'other-run') };
    for (const d of Object.values(elsewhere)) mkdirSync(d);
    const r = await shipgate(['cancel', run, '--reason', 'abandoned after a crash'], { cwd: dir, env: elsewhere });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(leftovers()).toEqual([]);
  });

  it('Ctrl-C stops the running step, saves state, exits 130; --rerun resumes', async () => {
    const dir = project(runbook(false).replace('sleep 30', '[ -f second ] || { touch second; sleep 30; }'));
    const child = spawnShipgate(['run', '--env', 'prod'], { cwd: dir });
    await waitFor(join(dir, 'migrate.started'));
    child.kill('SIGINT');
    const ended = await child;
    expect(ended.exitCode).toBe(130);
    expect(String(ended.stderr)).toContain('interrupting');
    const run = await lastRunId(dir);
    // Plain `shipgate resume` refuses a cut-off non-idempotent step: the hint names the choices.
    expect(String(ended.stdout)).toContain(`run ${run} interrupted in `);
    expect(String(ended.stdout)).toContain(
      `interrupted; migrate is not idempotent; check whether it took effect, then: shipgate resume ${run} --rerun migrate   or   shipgate resume ${run} --skip migrate --reason "…"`,
    );
    const status = (await shipgate(['status', run], { cwd: dir })).stdout;
    expect(status).toMatch(new RegExp(`run ${run}\\s+interrupted\n`));
    expect(status).toContain(`next: shipgate resume ${run} --rerun migrate`);
    const r = await shipgate(['resume', run, '--rerun', 'migrate'], { cwd: dir });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect([lines(dir, 'before.count'), lines(dir, 'migrate.count'), lines(dir, 'after.count')]).toEqual([1, 2, 1]);
  });
});
