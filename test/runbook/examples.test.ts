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

  it('ChefCloud validates and keeps the seed: CI, staging, tag, secrets, backup, prisma, health, smoke, monitoring, rollback, incident', async () => {
    const { runbook } = await load('examples/chefcloud/shipgate.yml');
    const byId = new Map(allSteps(runbook).map((s) => [s.id, s]));
    for (const id of ['lint-api', 'build-web', 'staging-smoke', 'staging-preflight', 'tag', 'secrets-present', 'backup', 'migrate-status', 'migrate', 'health', 'smoke', 'monitor', 'incident-check', 'rollback-api', 'assess-migration']) expect(byId.has(id), id).toBe(true);
    expect(byId.get('migrate')?.run).toBe('npx prisma migrate deploy');
    expect(byId.get('migrate-verify')?.expect?.stdout).toEqual(['Database schema is up to date']);
    expect(byId.get('incident-check')?.manual?.role).toBe('on-call');
    expect(runbook.environments.production?.secrets).toContainEqual(expect.objectContaining({ name: 'JWT_SECRET', 'min-length': 32, 'rotate-every': '90d' }));
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
