import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/runbook/diagnostic.js';
import { loadRunbook } from '../../src/runbook/load.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/rules');

/**
 * One fixture per rule (test/runbook/fixtures/rules/NAME.yml) and the exact lines
 * `shipgate validate` prints for it: file:line:col, code and message (hints are checked elsewhere).
 */
const EXPECTED: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['bad-expression', [
    "bad-expression.yml:8:36: error bad-expression bad expression \"${{ vars.URL ==  }}\": unexpected end of expression",
  ]],
  ['bad-name', [
    "bad-name.yml:4:3: error bad-name environment name \"prod env\" must use letters, digits, \".\", \"-\" and \"_\" (it is typed as --env prod env)",
    "bad-name.yml:4:27: error bad-name secret name \"JWT-SECRET\" is not a valid environment variable name (letters, digits and \"_\", not starting with a digit)",
  ]],
  ['bad-regex', [
    "bad-regex.yml:9:39: error bad-regex expect.stdout: invalid regular expression /All (stopped/: Unterminated group",
  ]],
  ['duplicate-key', [
    "duplicate-key.yml:9:9: error duplicate-key duplicate key \"run\" (YAML would keep only one of the values)",
  ]],
  ['duplicate-secret', [
    "duplicate-secret.yml:4:47: error duplicate-secret secret \"JWT_SECRET\" is listed twice in environment \"production\"",
  ]],
  ['duplicate-step-id', [
    "duplicate-step-id.yml:10:13: error duplicate-step-id duplicate step id \"stop\" (first declared at line 7); step ids are unique across phases and rollback",
  ]],
  ['expect-without-run', [
    "expect-without-run.yml:10:9: error step-kind \"expect\" applies only to run: steps, and step \"a\" has no run",
  ]],
  ['invalid-value', [
    "invalid-value.yml:1:10: error invalid-value version: expected 1, got 2",
  ]],
  ['missing-block', [
    "missing-block.yml:8:15: error missing-block action \"backup\" needs a top-level data: block (what to back up)",
  ]],
  ['missing-key', [
    "missing-key.yml:1:1: error missing-key missing required key \"name\" at the top level",
  ]],
  ['needs-cycle', [
    "needs-cycle.yml:9:9: error needs-cycle dependency cycle: a → c → b → a",
  ]],
  ['needs-later-phase', [
    "needs-later-phase.yml:7:39: error needs-later-phase step \"a\" (in phase \"gates\") needs \"deploy\" of the later phase \"release\"; phases run in order",
  ]],
  ['role-without-members', [
    "role-without-members.yml:9:25: error role-without-members step \"ui\": role \"administrator\" has no members, so nobody could approve",
  ]],
  ['schema-messages', [
    // How zod's findings read: empty values, regex messages, unions, a transposed key.
    "schema-messages.yml:2:7: error invalid-value name: must not be empty, got \"\"",
    "schema-messages.yml:3:52: error unknown-key unknown key \"requird\" in environments.production.secrets[0]; did you mean \"required\"?",
    "schema-messages.yml:4:14: error invalid-value concurrency: must be at least 1, got 0",
    "schema-messages.yml:6:9: error invalid-value phases[0].id: ids use letters, digits, \"-\" and \"_\", and start with a letter or digit, got \"bad id\"",
    "schema-messages.yml:7:12: error invalid-value phases[0].steps: must have at least 1 item, got an empty list",
    "schema-messages.yml:10:23: error wrong-type phases[1].steps[0].run: expected a string, got a list of 1",
    "schema-messages.yml:10:40: error invalid-value phases[1].steps[0].timeout: expected a duration like 30s, 15m, 1h30m or 90d, got \"5x\"",
    "schema-messages.yml:10:65: error unknown-key unknown key \"dealy\" in phases[1].steps[0].retries; did you mean \"delay\"?",
  ]],
  ['step-kind', [
    "step-kind.yml:9:9: error step-kind step \"a\" has both run and manual; a step does exactly one thing (split it into two steps)",
  ]],
  ['step-not-before', [
    "step-not-before.yml:11:23: error unknown-reference steps.backup.outputs.path: step \"backup\" is not certain to have finished before \"report\"; add \"backup\" to its needs",
  ]],
  ['unknown-action', [
    "unknown-action.yml:8:15: error unknown-action unknown action \"check/htp\"; did you mean \"check/http\"?",
  ]],
  ['unknown-key', [
    "unknown-key.yml:9:9: error unknown-key unknown key \"timout\" in phases[0].steps[0]; did you mean \"timeout\"?",
  ]],
  ['unknown-needs', [
    "unknown-needs.yml:8:45: error unknown-needs step \"migrate\" needs \"bakup\", which is not a step; did you mean \"backup\"?",
  ]],
  ['unknown-reference', [
    "unknown-reference.yml:8:23: error unknown-reference vars.BASE_ULR: no environment defines var \"BASE_ULR\"; did you mean \"BASE_URL\"?",
  ]],
  ['unknown-top-key', [
    // One diagnostic: the misspelt key, not also "environments is missing".
    "unknown-top-key.yml:3:1: error unknown-key unknown key \"enviroments\" at the top level; did you mean \"environments\"?",
  ]],
  ['unknown-role', [
    "unknown-role.yml:9:25: error unknown-reference step \"ui\": unknown role \"admin\"; did you mean \"administrator\"?",
  ]],
  ['wrong-type', [
    "wrong-type.yml:9:18: error wrong-type phases[0].steps[0].retries: expected a number or a mapping, got \"many\"",
  ]],
  ['yaml-syntax', [
    "yaml-syntax.yml:6:1: error yaml-syntax Flow sequence in block collection must be sufficiently indented and end with a ]",
  ]],
];

describe('one fixture per rule', () => {
  it('covers every fixture file', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.yml')).map((f) => f.slice(0, -4)).sort();
    expect(EXPECTED.map(([name]) => name).sort()).toEqual(files);
  });
  for (const [name, lines] of EXPECTED) {
    it(`${name}: prints exactly the expected diagnostics`, async () => {
      const r = await loadRunbook(`${name}.yml`, { cwd: dir });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.map((d) => formatDiagnostic({ ...d, hint: undefined }))).toEqual(lines);
    });
  }
  it('gives hints with the allowed keys, the known roles and the next step', async () => {
    const hints = async (name: string) => {
      const r = await loadRunbook(`${name}.yml`, { cwd: dir });
      return r.ok ? [] : r.error.map((d) => d.hint);
    };
    expect((await hints('unknown-key'))[0]).toBe('allowed here: id, name, run, shell, cwd, env, uses, with, needs, if, timeout, retries, continue-on-error, idempotent, expect, manual');
    expect((await hints('unknown-role'))[0]).toBe('roles: administrator');
    expect((await hints('role-without-members'))[0]).toBe('add members under roles.administrator.members');
  });
});
