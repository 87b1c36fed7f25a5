import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { collectSteps, StepGraph } from './step-graph.js';

const graphOf = (yaml: string) => {
  const steps = collectSteps(parse(yaml) as Record<string, unknown>);
  const g = new StepGraph(steps);
  return { g, step: (id: string) => steps.find((s) => s.id === id)! };
};

const YAML = `
phases:
  - id: p0
    steps: [{ id: a }, { id: b }]
  - id: p1
    steps: [{ id: c }, { id: d, needs: [] }, { id: e, needs: [c] }, { id: f }]
rollback:
  steps: [{ id: r1 }, { id: r2 }]
`;

describe('StepGraph', () => {
  it('a step without needs follows the previous step; needs: [] starts at once', () => {
    const { g, step } = graphOf(YAML);
    expect(g.localDeps(step('b')).map((s) => s.id)).toEqual(['a']);
    expect(g.localDeps(step('a'))).toEqual([]);
    expect(g.localDeps(step('d'))).toEqual([]);
    expect(g.localDeps(step('f')).map((s) => s.id)).toEqual(['e']);
  });
  it('before(): every step of earlier phases plus the transitive needs in its own phase', () => {
    const { g, step } = graphOf(YAML);
    expect([...g.before(step('e'))].sort()).toEqual(['a', 'b', 'c']);
    expect([...g.before(step('d'))].sort()).toEqual(['a', 'b']);
    expect([...g.before(step('f'))].sort()).toEqual(['a', 'b', 'c', 'e']);
  });
  it('rollback steps are certain of no phase step, but may read them all', () => {
    const { g, step } = graphOf(YAML);
    expect([...g.before(step('r2'))]).toEqual(['r1']);
    expect([...g.readable(step('r2'))].sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'r1']);
  });
  it('terminates on cycles, including a step that needs itself', () => {
    const { g, step } = graphOf('phases: [{ id: p, steps: [{ id: a, needs: [b] }, { id: b }, { id: s, needs: [s] }] }]');
    expect([...g.before(step('a'))]).toEqual(['b']);
    expect(g.localDeps(step('s')).map((x) => x.id)).toEqual(['s']);
  });
});
