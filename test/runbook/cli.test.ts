import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipgate-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI in-process with its own streams, in the temp dir. */
async function shipgate(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const errs = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += String(c)));
  errs.on('data', (c) => (stderr += String(c)));
  const io: CliIO = { cwd: dir, env: {}, stdout: out, stderr: errs, stdin: new PassThrough(), color: false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const VALID = `version: 1
name: demo
environments: { production: {} }
phases:
  - id: one
    steps:
      - { id: a, run: echo a }
      - { id: b, run: echo b }
rollback:
  steps:
    - { id: undo, run: echo undo }
`;
const INVALID = `version: 1
name: demo
environments: { production: {} }
phases:
  - id: one
    steps:
      - { id: a, run: echo a, need: [b] }
      - { id: a, run: echo b }
`;

describe('shipgate validate', () => {
  it('exits 0 on a valid runbook (default ./shipgate.yml) with a one-line summary', async () => {
    await writeFile(join(dir, 'shipgate.yml'), VALID);
    expect(await shipgate('validate')).toEqual({ code: 0, stdout: 'shipgate.yml: valid (2 steps in 1 phase, 1 rollback step, environments: production)\n', stderr: '' });
  });

  it('prints every diagnostic then a summary, and exits 2', async () => {
    await writeFile(join(dir, 'bad.yml'), INVALID);
    const r = await shipgate('validate', 'bad.yml');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(
      [
        'bad.yml:7:31: error unknown-key unknown key "need" in phases[0].steps[0]; did you mean "needs"?',
        '  hint: allowed here: id, name, run, shell, cwd, env, uses, with, needs, if, timeout, retries, continue-on-error, idempotent, expect, manual',
        'bad.yml:8:15: error duplicate-step-id duplicate step id "a" (first declared at line 7); step ids are unique across phases and rollback',
        'bad.yml: invalid, 2 errors',
        '',
      ].join('\n'),
    );
  });

  it('--json prints the diagnostics as JSON', async () => {
    await writeFile(join(dir, 'bad.yml'), INVALID);
    const r = await shipgate('validate', 'bad.yml', '--json');
    expect(r.code).toBe(2);
    const json = JSON.parse(r.stdout) as { file: string; valid: boolean; diagnostics: { code: string; pos: unknown }[] };
    expect(json.file).toBe('bad.yml');
    expect(json.valid).toBe(false);
    expect(json.diagnostics.map((d) => [d.code, d.pos])).toEqual([
      ['unknown-key', { line: 7, col: 31 }],
      ['duplicate-step-id', { line: 8, col: 15 }],
    ]);
    await writeFile(join(dir, 'shipgate.yml'), VALID);
    const ok = await shipgate('validate', '--json');
    expect([ok.code, JSON.parse(ok.stdout)]).toEqual([0, { file: 'shipgate.yml', valid: true, diagnostics: [] }]);
  });

  it('a missing file is one clear error with the next command, exit 2', async () => {
    const r = await shipgate('validate');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(
      `shipgate.yml:1:1: error file-unreadable no runbook at ${join(dir, 'shipgate.yml')}\n` +
        '  hint: pass the runbook file: shipgate validate path/to/shipgate.yml (an example: examples/selenite/shipgate.yml)\n' +
        'shipgate.yml: invalid, 1 error\n',
    );
  });

  it('has --help describing the command and its flag', async () => {
    const r = await shipgate('validate', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Check a runbook and report every problem at once');
    expect(r.stdout).toContain('--json      print {file, valid, diagnostics} as JSON instead of text');
  });
});

describe('shipgate schema', () => {
  it('prints the JSON Schema', async () => {
    const r = await shipgate('schema');
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as { $id: string; properties: Record<string, unknown> };
    expect(schema.$id).toBe('urn:shipgate:schema:runbook:1');
    expect(Object.keys(schema.properties)).toContain('phases');
  });
});
