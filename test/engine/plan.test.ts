import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asSha256 } from '../../src/core/brand.js';
import { planRun } from '../../src/plan/plan-run.js';
import type { LoadedRunbook } from '../../src/runbook/loaded-runbook.js';
import { RunbookSchema } from '../../src/runbook/schema.js';

function loaded(doc: unknown): LoadedRunbook {
  return { runbook: RunbookSchema.parse(doc), path: '/p/shipgate.yml', dir: '/p', digest: asSha256('0'.repeat(64)), stepPos: () => undefined };
}
const base = { version: 1, name: 't', environments: { prod: {} } };
const ids = (p: ReturnType<typeof planRun>) => p.steps.map((s) => s.id);

describe('planRun', () => {
  it('chains steps inside a phase and puts phases in order', () => {
    const p = planRun(loaded({ ...base, phases: [{ id: 'a', steps: [{ id: 'z', run: 'x' }, { id: 'y', run: 'x' }] }, { id: 'b', steps: [{ id: 'c', run: 'x' }] }] }), { environment: 'prod', cpus: 2 });
    expect(ids(p)).toEqual(['z', 'y', 'c']);
    expect(p.steps.map((s) => s.needs)).toEqual([[], ['z'], ['y']]);
  });

  it('orders independent steps by id, and `needs: []` never escapes its phase', () => {
    const p = planRun(
      loaded({ ...base, phases: [{ id: 'a', steps: [{ id: 'first', run: 'x' }] }, { id: 'b', steps: [{ id: 'm', run: 'x', needs: [] }, { id: 'b2', run: 'x', needs: [] }, { id: 'a1', run: 'x', needs: [] }] }] }),
      { environment: 'prod', cpus: 2 },
    );
    expect(ids(p)).toEqual(['first', 'a1', 'b2', 'm']);
    for (const s of p.steps.slice(1)) expect(s.needs).toEqual(['first']);
  });

  it('applies defaults: timeout 30m, retries 0, shell bash, cwd beside the runbook; concurrency from cpus', () => {
    const p = planRun(loaded({ ...base, phases: [{ id: 'a', steps: [{ id: 's', run: 'x', retries: { count: 2, delay: '2s' }, timeout: '90s', cwd: 'sub' }] }] }), { environment: 'prod', cpus: 3 });
    const s = p.steps[0]!;
    expect([s.timeoutMs, s.retries.count, s.retries.delayMs, s.shell, s.cwd, p.concurrency]).toEqual([90_000, 2, 2000, 'bash', '/p/sub', 3]);
  });

  it('freezes role members into the plan', () => {
    const p = planRun(loaded({ ...base, roles: { admin: { members: ['a@x'] } }, phases: [{ id: 'a', steps: [{ id: 's', manual: { role: 'admin' } }] }] }), { environment: 'prod', cpus: 1 });
    expect(p.roles).toEqual({ admin: ['a@x'] });
    expect(p.steps[0]!.manual).toMatchObject({ role: 'admin', approvals: 1, 'self-approval': true });
  });

  it('is stable and respects every dependency for random DAGs (property)', () => {
    const dag = fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: 1, maxLength: 25 }).map((deps) =>
      // Step i may only need steps < i: always acyclic.
      deps.map((d, i) => ({ id: `s${String(i).padStart(2, '0')}`, run: 'true', needs: i === 0 ? [] : [...new Set(d.map((x) => `s${String(x % i).padStart(2, '0')}`))] })),
    );
    fc.assert(
      fc.property(dag, fc.nat(), (steps, seed) => {
        const shuffled = [...steps].sort((a, b) => ((a.id.charCodeAt(2) * 31 + seed) % 7) - ((b.id.charCodeAt(2) * 31 + seed) % 7));
        const p1 = planRun(loaded({ ...base, phases: [{ id: 'a', steps }] }), { environment: 'prod', cpus: 2 });
        const p2 = planRun(loaded({ ...base, phases: [{ id: 'a', steps: shuffled }] }), { environment: 'prod', cpus: 2 });
        expect(ids(p1)).toEqual(ids(p2)); // declaration order does not matter when needs are explicit
        const pos = new Map(ids(p1).map((id, i) => [id, i]));
        for (const s of p1.steps) for (const n of s.needs) expect(pos.get(n)!).toBeLessThan(pos.get(s.id)!);
      }),
    );
  });
});

describe('stepsReadingRelease', () => {
  it('lists steps that put release.version into what they run, not those whose if: handles its absence', async () => {
    const { stepsReadingRelease } = await import('../../src/plan/release-reads.js');
    const plan = planRun(
      loaded({
        version: 1,
        name: 'r',
        environments: { prod: {} },
        phases: [
          {
            id: 'p',
            steps: [
              { id: 'deploy', run: './deploy.sh ${{ release.version }}' },
              { id: 'tag', uses: 'git/tag', with: { version: '${{ release.version }}' } },
              { id: 'notify', if: "release.version != ''", run: 'echo ${{ release.version }}' },
              { id: 'smoke', run: 'curl -fsS http://127.0.0.1/health' },
              { id: 'check', manual: { role: 'admin', instructions: 'Is ${{ release.version }} live?' } },
              { id: 'fallback', run: "./deploy.sh ${{ release.version || 'latest' }}" },
              { id: 'wrapped-if', if: "${{ release.version != '' }}", run: 'echo ${{ release.version }}' },
              { id: 'format', run: "./deploy.sh ${{ format('v{0}', release.version) || 'latest' }}" },
            ],
          },
        ],
        roles: { admin: { members: ['a@example.com'] } },
      }),
      { environment: 'prod', release: null, cpus: 2 },
    );
    // `format(…) || 'latest'` is never empty: the fallback cannot stand in for the argument.
    expect(stepsReadingRelease(plan.steps)).toEqual(['deploy', 'tag', 'check', 'format']);
  });
});
