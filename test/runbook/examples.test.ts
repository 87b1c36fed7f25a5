import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/runbook/diagnostic.js';
import { loadRunbook } from '../../src/runbook/load.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

const load = async (file: string) => {
  const r = await loadRunbook(file, { cwd: root });
  if (!r.ok) throw new Error(r.error.map(formatDiagnostic).join('\n'));
  return r.value;
};
const loadWithText = async (file: string) => ({ ...(await load(file)), text: await (await import('node:fs/promises')).readFile(join(root, file), 'utf8') });
const allSteps = (rb: Awaited<ReturnType<typeof load>>['runbook']) => [...rb.phases.flatMap((p) => p.steps), ...(rb.rollback?.steps ?? [])];

describe('the seed runbooks as example runbooks', () => {
  it('Selenite validates and keeps the seed: gates, backup, audit, rehearsal, stop with expect, UI verification, evidence, rollback', async () => {
    const { runbook } = await load('examples/selenite/shipgate.yml');
    expect(runbook.phases.map((p) => p.id)).toEqual(['gates', 'pre-release', 'release', 'evidence']);
    const byId = new Map(allSteps(runbook).map((s) => [s.id, s]));
    for (const id of ['pr-checklist', 'classify', 'backup', 'alignment-audit', 'rehearsal', 'stop', 'deploy', 'migrate', 'start', 'ui-verification', 'record-evidence', 'restore']) expect(byId.has(id), id).toBe(true);
    expect(byId.get('stop')?.expect?.stdout).toBe('All Selenite processes stopped\\.');
    expect(byId.get('ui-verification')?.manual).toMatchObject({ role: 'administrator', checklist: ['Login works', 'Existing jobs and tags visible', 'New job can be created', 'Export works', 'HTTPS-only enforcement verified (HTTP blocked, HTTPS works)'] });
    expect(runbook.phases.find((p) => p.id === 'release')?.['rollback-on-failure']).toBe(true);
    expect(runbook.data?.protect).toEqual(['backend/models', 'logs']);
    // Non-negotiable: rollback never touches backend/models or logs.
    for (const s of runbook.rollback?.steps ?? []) expect(`${s.run ?? ''}`).not.toMatch(/backend\/models|\blogs\b/);
  });

  it('Selenite uses the real actions: no TODO left, rollback restores through the guarded restore action', async () => {
    const { runbook, text } = await loadWithText('examples/selenite/shipgate.yml');
    expect(text).not.toMatch(/TODO/);
    const byId = new Map(allSteps(runbook).map((s) => [s.id, s]));
    const uses = Object.fromEntries([...byId].map(([id, s]) => [id, s.uses]));
    expect(uses).toMatchObject({
      classify: 'migrations/lint', backup: 'backup', 'verify-backup': 'backup/verify', 'alignment-audit': 'audit/grep',
      'env-audit': 'audit/env', rehearsal: 'rehearse', migrate: 'migrations/apply', health: 'check/http',
      'https-only': 'check/https-only', 'ui-smoke': 'check/browser', tag: 'git/tag', 'release-notes': 'notes', restore: 'restore',
    });
    expect(byId.get('health')?.with).toMatchObject({ expect: { status: 200, json: { status: 'healthy' } } });
    expect(byId.get('alignment-audit')?.with).toMatchObject({ pattern: 'Selenite-dev|5174|8201|devselenite|dev\\.selenite|DEV_', allow: [expect.any(String)] });
  });

  it('ChefCloud validates and keeps the seed: CI, staging, tag, secrets, backup, prisma, health, smoke, monitoring, rollback, incident', async () => {
    const { runbook, text } = await loadWithText('examples/chefcloud/shipgate.yml');
    expect(text).not.toMatch(/TODO/);
    const byId = new Map(allSteps(runbook).map((s) => [s.id, s]));
    for (const id of ['lint-api', 'build-web', 'staging-smoke', 'staging-preflight', 'tag', 'release-notes', 'secrets-check', 'backup', 'verify-backup', 'migrate-status', 'rehearsal', 'migrate', 'health', 'smoke', 'top-routes', 'monitor', 'rollback-api', 'rollback-render', 'rollback-docker', 'assess-migration', 'restore']) expect(byId.has(id), id).toBe(true);
    expect(byId.get('migrate')?.uses).toBe('migrations/apply');
    expect(runbook.migrations?.apply).toBe('npx prisma migrate deploy');
    expect(byId.get('monitor')?.uses).toBe('monitor');
    expect(JSON.stringify(byId.get('monitor')?.with)).toMatch(/p95.*500ms/);
    // The three deploy targets of the seed, chosen by vars.PROVIDER.
    expect(Object.keys(runbook.environments).sort()).toEqual(['production', 'production-docker', 'production-render', 'staging']);
    expect(byId.get('deploy-render')?.if).toMatch(/PROVIDER == 'render'/);
    expect(byId.get('rollback-docker')?.if).toMatch(/PROVIDER == 'docker'/);
    expect(runbook.environments.production?.secrets).toContainEqual(expect.objectContaining({ name: 'JWT_SECRET', 'min-length': 32, 'rotate-every': '90d' }));
  });

  it('the ChefCloud companions: JWT rotation records the rotation; the incident matrix rolls back at once on P1', async () => {
    const rotate = (await load('examples/chefcloud/rotate-jwt.yml')).runbook;
    const rotateSteps = allSteps(rotate);
    expect(rotateSteps.at(-1)?.run).toMatch(/shipgate secrets rotated JWT_SECRET -f shipgate\.yml/);
    expect(rotateSteps.find((s) => s.id === 'remove-old')?.run).toMatch(/fly secrets unset JWT_SECRET_PREVIOUS/);
    const incident = (await load('examples/chefcloud/incident.yml')).runbook;
    expect(Object.keys(incident.environments)).toEqual(['p1', 'p2', 'p3']);
    const rollback = allSteps(incident).find((s) => s.id === 'rollback');
    expect(rollback?.if).toBe("vars.SEVERITY == 'P1'");
    expect(rollback?.run).toMatch(/shipgate rollback shipgate\.yml .*--yes/);
    expect(rollback?.manual).toBeUndefined(); // immediate: no approval between acknowledgement and rollback
    expect(allSteps(incident).find((s) => s.id === 'disable-flags')?.run).toMatch(/DEVPORTAL_ENABLED=0[\s\S]*DOCS_ENABLED=0[\s\S]*METRICS_ENABLED=0/);
  });

  it.each([
    'examples/chefcloud/rotate-jwt.yml', 'examples/chefcloud/incident.yml', 'examples/chefcloud-local/incident.yml',
    'examples/selenite-local/shipgate.yml', 'examples/chefcloud-local/shipgate.yml', 'examples/demo/shipgate.yml',
  ])('%s validates', async (file) => {
    await load(file);
  });

  it.each(['examples/selenite-local/shipgate.yml', 'examples/chefcloud-local/shipgate.yml'])('%s validates and protects what the seed protects', async (file) => {
    const { runbook } = await load(file);
    const uses = new Set(allSteps(runbook).map((s) => s.uses).filter(Boolean));
    for (const action of ['backup', 'backup/verify', 'rehearse', 'restore', 'migrations/apply', 'check/http']) expect(uses.has(action), action).toBe(true);
    if (file.includes('selenite')) expect(runbook.data?.protect).toEqual(['backend/models', 'logs']);
  });
});

describe('the example in docs/runbook.md', () => {
  it('validates (the docs do not drift from the format)', async () => {
    const { readFile } = await import('node:fs/promises');
    const { validateRunbookText } = await import('../../src/runbook/validate.js');
    const md = await readFile(join(root, 'docs/runbook.md'), 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(md)?.[1];
    expect(yaml).toBeDefined();
    const r = validateRunbookText(yaml!, 'docs/runbook.md');
    expect(r.ok ? [] : r.error.map(formatDiagnostic)).toEqual([]);
  });
});
