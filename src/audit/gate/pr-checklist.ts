import { readFile } from 'node:fs/promises';
import { UserError } from '../../core/errors.js';
import type { GateCondition } from './gate-condition.js';

/** Where the PR body came from (for messages and annotations). */
export interface PrBody {
  readonly text: string;
  readonly source: string;
}

/**
 * Reads the PR body from a file (`--pr-body FILE`) or from the GitHub event payload
 * (`$GITHUB_EVENT_PATH`, `pull_request.body`).
 *
 * @throws UserError SG_GATE_BAD_EVENT (exit 2) for an unreadable or malformed payload, or one
 *   that is not a pull_request event; SG_GATE_NO_PR_BODY when neither source is given.
 */
export async function readPrBody(opts: { cwd: string; file?: string; eventPath?: string }): Promise<PrBody> {
  if (opts.file) {
    try {
      return { text: await readFile(opts.file, 'utf8'), source: opts.file };
    } catch (e) {
      throw new UserError('SG_GATE_NO_PR_BODY', `cannot read the PR body file ${opts.file}: ${(e as Error).message}`, 'pass an existing file with --pr-body FILE');
    }
  }
  if (opts.eventPath) {
    let raw: string;
    try {
      raw = await readFile(opts.eventPath, 'utf8');
    } catch (e) {
      throw new UserError('SG_GATE_BAD_EVENT', `cannot read the GitHub event payload ${opts.eventPath}: ${(e as Error).message}`, 'run the gate in a pull_request workflow, or pass --pr-body FILE');
    }
    let event: unknown;
    try {
      event = JSON.parse(raw);
    } catch (e) {
      throw new UserError('SG_GATE_BAD_EVENT', `the GitHub event payload ${opts.eventPath} is not valid JSON: ${(e as Error).message}`, 'run the gate in a pull_request workflow, or pass --pr-body FILE');
    }
    const pr = (event as { pull_request?: { body?: unknown } } | null)?.pull_request;
    if (!pr || typeof pr !== 'object') {
      throw new UserError('SG_GATE_BAD_EVENT', `the GitHub event payload ${opts.eventPath} has no pull_request object (is this a pull_request event?)`, 'trigger the workflow with `on: pull_request`, or pass --pr-body FILE');
    }
    if (pr.body !== null && pr.body !== undefined && typeof pr.body !== 'string') {
      throw new UserError('SG_GATE_BAD_EVENT', `pull_request.body in ${opts.eventPath} is ${typeof pr.body}, not a string`, 'pass --pr-body FILE');
    }
    return { text: pr.body ?? '', source: `${opts.eventPath} (pull_request.body)` };
  }
  throw new UserError('SG_GATE_NO_PR_BODY', 'no PR body to check: neither --pr-body nor $GITHUB_EVENT_PATH is set', 'pass --pr-body FILE (or run in a GitHub pull_request workflow)');
}

const BOX = /^\s*(?:[-*+]|\d+[.)])\s+\[( |x|X)\]\s*(.*)$/;

/**
 * Every task-list box in the PR body must be ticked. A body without any box is unmet too: the
 * checklist template was removed, and an empty checklist proves nothing.
 */
export function checkPrChecklist(body: PrBody): GateCondition {
  const lines = body.text.split(/\r?\n/);
  let ticked = 0;
  const open: { line: number; text: string }[] = [];
  let inFence = false;
  lines.forEach((l, i) => {
    if (/^\s*(```|~~~)/.test(l)) inFence = !inFence;
    if (inFence) return;
    const m = BOX.exec(l);
    if (!m) return;
    if (m[1] === ' ') open.push({ line: i + 1, text: m[2]!.trim() });
    else ticked++;
  });
  const total = ticked + open.length;
  if (total === 0) {
    return { id: 'checklist', title: 'PR checklist complete', status: 'unmet', expected: 'a checklist with every box ticked', measured: `no "- [ ]" boxes in ${body.source}`, how: 'restore the release checklist from the PR template and tick each item' };
  }
  return {
    id: 'checklist',
    title: 'PR checklist complete',
    status: open.length ? 'unmet' : 'met',
    expected: `${total} of ${total} boxes ticked`,
    measured: `${ticked} of ${total} ticked${open.length ? `; open: ${open.map((o) => `"${o.text}"`).join(', ')}` : ''}`,
    ...(open.length ? { how: 'tick each open item in the PR description once it is done (or remove items that do not apply, saying why)' } : {}),
  };
}
