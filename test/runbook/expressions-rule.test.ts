import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/runbook/diagnostic.js';
import { validateRunbookText } from '../../src/runbook/validate.js';

const lines = (text: string) => {
  const r = validateRunbookText(text, 'rb.yml');
  return r.ok ? [] : r.error.map((d) => formatDiagnostic({ ...d, hint: undefined }));
};

describe('bad-expression and unknown-reference, everywhere a string can hold ${{ }}', () => {
  it('checks env, if, vars, data urls and migrations commands, not only run', () => {
    const text = `version: 1
name: places
environments:
  production:
    vars: { URL: "\${{ env.HOST ]] }}" }
    secrets: [TOKEN]
data:
  database: { kind: postgres, url: "\${{ env.DATABASE_URL }}\${{ steps.a.outputs.x }}" }
migrations: { tool: prisma, dir: prisma/migrations, apply: "npx prisma migrate deploy \${{ secrets.TOKN }}" }
phases:
  - id: one
    steps:
      - id: a
        run: echo ok
        env: { A: "\${{ run.idd }}" }
        if: release.version != '' && environment.name == 'production'
      - id: b
        run: echo \${{ vars.URL }}
        if: "\${{ steps.b.outputs.x }}"
`;
    expect(lines(text)).toEqual([
      'rb.yml:5:18: error bad-expression vars are plain values: ${{ }} is not expanded here',
      'rb.yml:8:64: error unknown-reference steps.a.outputs.x: step outputs are available only inside steps',
      'rb.yml:9:91: error unknown-reference secrets.TOKN: no environment lists secret "TOKN"; did you mean "TOKEN"?',
      'rb.yml:15:24: error unknown-reference run.idd: run has only run.id; did you mean "id"?',
      'rb.yml:19:18: error unknown-reference steps.b.outputs.x: step "b" cannot read its own outputs',
    ]);
  });

  it('points into block scalars at the right line and column', () => {
    const text = `version: 1
name: block
environments: { production: {} }
phases:
  - id: one
    steps:
      - id: a
        run: |
          echo first
          echo \${{ vars.NOPE }}
`;
    expect(lines(text)).toEqual(['rb.yml:10:20: error unknown-reference vars.NOPE: no environment defines var "NOPE"']);
  });

  it('lets rollback steps read outputs of phase steps, and phase steps read earlier phases', () => {
    const text = `version: 1
name: ok
environments: { production: {} }
phases:
  - id: one
    steps:
      - { id: backup, run: echo id=1 }
  - id: two
    steps:
      - { id: lint, run: echo l, needs: [] }
      - { id: use, needs: [lint], run: "echo \${{ steps.backup.outputs.id }} \${{ steps.lint.status }}" }
rollback:
  steps:
    - { id: restore, run: "restore \${{ steps.use.outputs.x }}" }
    - { id: after, run: "echo \${{ steps.restore.outputs.y }}" }
`;
    expect(lines(text)).toEqual([]);
  });

  it('reports an unclosed ${{ and an unknown function', () => {
    const text = `version: 1
name: bad
environments: { production: {} }
phases:
  - id: one
    steps:
      - { id: a, run: "echo \${{ vars.X" }
      - { id: b, run: "echo \${{ toUpper('x') }}" }
`;
    expect(lines(text)).toEqual([
      'rb.yml:7:29: error bad-expression bad expression: unclosed "${{" (no matching "}}")',
      'rb.yml:8:33: error bad-expression bad expression "${{ toUpper(\'x\') }}": unknown function toUpper() (known: contains, startsWith, endsWith, format, join, toJSON, raw)',
    ]);
  });
});

describe('if: traps and self-needs', () => {
  it('an if: mixing text and ${{ }} is always true, so it is an error; a step needing itself is a cycle', () => {
    const text = `version: 1
name: if
environments: { production: { vars: { DEPLOY: fly } } }
phases:
  - id: one
    steps:
      - id: a
        run: echo a
        if: \${{ vars.DEPLOY }} == 'fly'
        needs: [a]
`;
    expect(lines(text)).toEqual([
      'rb.yml:9:13: error bad-expression if: mixes text and ${{ }}, so it is always true; put the whole condition inside one ${{ }} or write it bare',
      'rb.yml:10:9: error needs-cycle dependency cycle: a → a',
    ]);
  });
});

describe('YAML anchors and aliases', () => {
  it('are followed, and a problem inside an anchored value points at the anchor', () => {
    const text = `version: 1
name: alias
roles: { ops: { members: [a@example.com] } }
environments: { production: {} }
phases:
  - id: one
    steps:
      - id: a
        manual: &check { role: opz, checklist: [Login works] }
rollback:
  steps:
    - id: b
      manual: *check
`;
    expect(lines(text)).toEqual([
      'rb.yml:9:32: error unknown-reference step "a": unknown role "opz"; did you mean "ops"?',
      'rb.yml:9:32: error unknown-reference step "b": unknown role "opz"; did you mean "ops"?',
    ]);
  });
});
