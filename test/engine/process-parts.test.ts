import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryTempRoot } from '../../src/engine/memory-temp-root.js';
import { eachLine } from '../../src/engine/process/each-line.js';
import { runProcess } from '../../src/engine/process/run-process.js';
import { resolveCommand } from '../../src/engine/process/resolve-command.js';
import { processSpec } from '../support/process-spec.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'sg-proc-parts-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function linesOf(chunks: readonly Buffer[]): Promise<string[]> {
  const stream = new PassThrough();
  const lines: string[] = [];
  const { done } = eachLine(stream, (l) => lines.push(l));
  for (const c of chunks) {
    stream.write(c);
    await new Promise((r) => setImmediate(r));
  }
  stream.end();
  await done;
  return lines;
}

describe('eachLine (step output splitting)', () => {
  it('breaks lines as readline does: \\n, \\r\\n, a lone \\r, and a last line without a newline', async () => {
    expect(await linesOf([Buffer.from('a\nb\r\nc\rd')])).toEqual(['a', 'b', 'c', 'd']);
    expect(await linesOf([Buffer.from('only\n')])).toEqual(['only']);
    expect(await linesOf([Buffer.from('\n\n')])).toEqual(['', '']);
    expect(await linesOf([])).toEqual([]);
  });

  it('keeps a \\r\\n split across chunks as one break, and a UTF-8 character split across chunks whole', async () => {
    expect(await linesOf([Buffer.from('x\r'), Buffer.from('\ny\r'), Buffer.from('z')])).toEqual(['x', 'y', 'z']);
    const euro = Buffer.from('€uro\n'); // € is three bytes
    expect(await linesOf([euro.subarray(0, 1), euro.subarray(1, 2), euro.subarray(2)])).toEqual(['€uro']);
    expect(await linesOf([Buffer.from('end\r')])).toEqual(['end']);
  });

  it('resolves when the stream is destroyed without ending (a killed process)', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    const { done } = eachLine(stream, (l) => lines.push(l));
    stream.write('partial');
    await new Promise((r) => setImmediate(r));
    stream.destroy();
    await done;
    expect(lines).toEqual(['partial']);
  });

  it('joins a long line that arrives in many chunks once, whole', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const lines = await linesOf([...Array.from({ length: 64 }, () => chunk), Buffer.from('\nnext')]);
    expect(lines.map((l) => l.length)).toEqual([64 * 64 * 1024, 4]);
  });

  it('stop(): takes the unfinished line now, and nothing that arrives later', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    const reader = eachLine(stream, (l) => lines.push(l));
    stream.write('one\ntwo');
    await new Promise((r) => setImmediate(r));
    reader.stop();
    await reader.done;
    stream.write('three\n');
    stream.end();
    await new Promise((r) => setImmediate(r));
    expect(lines).toEqual(['one', 'two']);
  });
});

describe('runProcess with a background process holding the pipe', () => {
  it('ends with the unfinished last line in its output, and reports no line after it returned', async () => {
    const dir = tempDir();
    const seen: string[] = [];
    let returned = false;
    const late: string[] = [];
    const end = await runProcess(
      processSpec(dir, { script: 'printf partial; (sleep 2.5; echo late) &', onLine: (_s, line) => (returned ? late : seen).push(line) }),
    );
    returned = true;
    expect(end).toMatchObject({ reason: 'exited', exitCode: 0, stdout: 'partial' });
    expect(seen).toEqual(['partial']);
    await new Promise((r) => setTimeout(r, 1000)); // the background echo has run by now
    expect(late).toEqual([]);
  });
});

describe('resolveCommand (the shell, found once on the step PATH)', () => {
  it('finds the first executable file on PATH, skipping non-executables and directories', () => {
    const [a, b, c] = [tempDir(), tempDir(), tempDir()];
    writeFileSync(join(a, 'mysh'), '#!/bin/sh\n'); // not executable
    mkdirSync(join(b, 'mysh')); // a directory
    writeFileSync(join(c, 'mysh'), '#!/bin/sh\n');
    chmodSync(join(c, 'mysh'), 0o755);
    expect(resolveCommand('mysh', [a, b, c].join(delimiter))).toBe(join(c, 'mysh'));
  });

  it('returns a name it cannot find unchanged (the spawn then fails as usual), and does not remember the miss', () => {
    const d = tempDir();
    expect(resolveCommand('not-here-yet', d)).toBe('not-here-yet');
    writeFileSync(join(d, 'not-here-yet'), '#!/bin/sh\n');
    chmodSync(join(d, 'not-here-yet'), 0o755);
    expect(resolveCommand('not-here-yet', d)).toBe(join(d, 'not-here-yet'));
  });

  it('leaves a PATH with an empty or relative entry before the match to the spawn (it is relative to the step cwd)', () => {
    const d = tempDir();
    writeFileSync(join(d, 'tool'), '#!/bin/sh\n');
    chmodSync(join(d, 'tool'), 0o755);
    expect(resolveCommand('tool', ['node_modules/.bin', d].join(delimiter))).toBe('tool');
    expect(resolveCommand('tool', ['', d].join(delimiter))).toBe('tool');
    expect(resolveCommand('tool', [d, 'node_modules/.bin'].join(delimiter))).toBe(join(d, 'tool'));
  });

  it('leaves paths alone, and looks up per PATH (a step may set its own)', () => {
    expect(resolveCommand('./run.sh', '/usr/bin')).toBe('./run.sh');
    expect(resolveCommand('/bin/sh', '/nowhere')).toBe('/bin/sh');
    const [x, y] = [tempDir(), tempDir()];
    for (const d of [x, y]) {
      writeFileSync(join(d, 'tool'), '#!/bin/sh\n');
      chmodSync(join(d, 'tool'), 0o755);
    }
    expect(resolveCommand('tool', x)).toBe(join(x, 'tool'));
    expect(resolveCommand('tool', y)).toBe(join(y, 'tool'));
  });
});

describe('memoryTempRoot (where step scripts go)', () => {
  it('prefers $XDG_RUNTIME_DIR, then /dev/shm on Linux, then the temp dir', () => {
    const xdg = tempDir();
    expect(memoryTempRoot({ XDG_RUNTIME_DIR: xdg }, 'linux')).toBe(xdg);
    expect(memoryTempRoot({ XDG_RUNTIME_DIR: join(xdg, 'missing') }, 'darwin')).toBe(tmpdir());
    expect(memoryTempRoot({}, 'darwin')).toBe(tmpdir());
  });
});
