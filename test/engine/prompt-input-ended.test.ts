// A terminal whose input ends at a prompt (Ctrl-D, a closed stdin): every prompt gives a clear
// answer ("no decision", "not confirmed") instead of hanging or failing as a bug. In-process CLI
// with streams that claim to be a terminal; real runs, store and processes.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { converse } from '../../src/cli/ask-line.js';
import { main } from '../../src/cli/main.js';
import { useTempProjects } from '../support/cli.js';
import { PROMPT_RUNBOOK } from '../support/prompt-runbook.js';

const project = useTempProjects(afterEach);

/** Runs the CLI with a "terminal" whose input has already ended after `typed`. */
async function atTerminal(argv: string[], cwd: string, typed = ''): Promise<{ code: number; out: string; err: string }> {
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 100 });
  const stderr = new PassThrough();
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  stdin.end(typed);
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await main(argv, { cwd, env: { PATH: process.env.PATH, SHIPGATE_ACTOR: 'alice@example.com', NO_COLOR: '1' }, stdout, stderr, stdin, color: false });
  return { code, out, err };
}

const RUNBOOK = PROMPT_RUNBOOK;

describe('a prompt whose input ends', () => {
  it('the approval prompt of a run: no decision, the run waits for `approve` (exit 3)', async () => {
    const dir = project(RUNBOOK);
    const r = await atTerminal(['run', '--env', 'prod'], dir);
    expect(r.out).toContain('check needs your decision');
    expect(r.code, r.out + r.err).toBe(3);
    expect(existsSync(join(dir, 'after.txt'))).toBe(false);
  });

  it('half an answer, then the end: still no decision', async () => {
    const dir = project(RUNBOOK);
    const r = await atTerminal(['run', '--env', 'prod'], dir, 'p\n');
    expect(r.code, r.out + r.err).toBe(3);
    expect(existsSync(join(dir, 'after.txt'))).toBe(false);
  });

  it('the rollback confirmation: not confirmed, nothing run (exit 2)', async () => {
    const dir = project(RUNBOOK);
    const r = await atTerminal(['rollback', '--env', 'prod', '--reason', 'test'], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('SG_NOT_CONFIRMED');
    expect(existsSync(join(dir, 'rolled-back.txt'))).toBe(false);
  });

  it('a conversation over input that had ended before it began answers null at once', async () => {
    const input = new PassThrough();
    input.end();
    input.resume();
    await new Promise((r) => input.once('end', r));
    const rl = converse(input, new PassThrough());
    expect(await rl.ask('anything? ')).toBeNull();
    rl.close();
  });

  it('an aborted conversation answers null, and so does the question it was asking', async () => {
    const ac = new AbortController();
    const rl = converse(Object.assign(new PassThrough(), { isTTY: true }), new PassThrough(), ac.signal);
    const pending = rl.ask('approve? ');
    ac.abort();
    expect(await pending).toBeNull();
    expect(await rl.ask('again? ')).toBeNull();
  });
});
