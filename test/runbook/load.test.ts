import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/canonical-json.js';
import { formatDiagnostic } from '../../src/runbook/diagnostic.js';
import { loadRunbook } from '../../src/runbook/load.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shipgate-load-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const TEXT = `version: 1
name: demo
roles: { ops: { members: [ops@example.com] } }
environments:
  production: { vars: { PORT: 8100 } }
phases:
  - id: one
    steps:
      - id: build
        run: echo built
      - id: approve
        manual: { role: ops }
rollback:
  steps:
    - { id: undo, run: echo undo }
`;

describe('loadRunbook', () => {
  it('returns the normalized runbook, path, dir, digest and step positions', async () => {
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub/shipgate.yml'), TEXT);
    const r = await loadRunbook('sub/shipgate.yml', { cwd: dir });
    if (!r.ok) throw new Error(r.error.map(formatDiagnostic).join('\n'));
    const lr = r.value;
    expect(lr.path).toBe(join(dir, 'sub/shipgate.yml'));
    expect(lr.dir).toBe(join(dir, 'sub'));
    expect(lr.digest).toBe(sha256Hex(TEXT));
    // Defaults applied and vars normalized to strings.
    expect(lr.runbook.environments.production?.vars).toEqual({ PORT: '8100' });
    expect(lr.runbook.phases[0]?.steps[1]?.manual).toEqual({ role: 'ops', approvals: 1, 'self-approval': true });
    expect(lr.stepPos('build')).toEqual({ line: 9, col: 13 });
    expect(lr.stepPos('approve')).toEqual({ line: 11, col: 13 });
    expect(lr.stepPos('undo')).toEqual({ line: 15, col: 13 });
    expect(lr.stepPos('nope')).toBeUndefined();
  });

  it('a missing file is one clear error with the next command', async () => {
    const r = await loadRunbook('shipgate.yml', { cwd: dir });
    expect(r).toEqual({
      ok: false,
      error: [
        {
          file: 'shipgate.yml',
          pos: { line: 1, col: 1 },
          severity: 'error',
          code: 'file-unreadable',
          message: `no runbook at ${join(dir, 'shipgate.yml')}`,
          hint: 'pass the runbook file: shipgate validate path/to/shipgate.yml (an example: examples/selenite/shipgate.yml)',
        },
      ],
    });
  });

  it('a directory is refused with its own message', async () => {
    const r = await loadRunbook('.', { cwd: dir });
    expect(r.ok ? '' : r.error[0]?.message).toBe(`${dir} is a directory, not a runbook file`);
  });

  it('an empty file or a list is not a runbook', async () => {
    await writeFile(join(dir, 'empty.yml'), '');
    await writeFile(join(dir, 'list.yml'), '- a\n- b\n');
    for (const f of ['empty.yml', 'list.yml']) {
      const r = await loadRunbook(f, { cwd: dir });
      expect(r.ok ? [] : r.error.map((d) => `${d.file}:${d.pos.line}:${d.pos.col} ${d.code}`)).toEqual([`${f}:1:1 wrong-type`]);
    }
  });
});
