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
      event = JSON.parse(raw.replace(/^\uFEFF/, '')); // a byte-order mark is not JSON, but is harmless
    } catch (e) {
      throw new UserError('SG_GATE_BAD_EVENT', `the GitHub event payload ${opts.eventPath} is not valid JSON: ${(e as Error).message}`, 'run the gate in a pull_request workflow, or pass --pr-body FILE');
    }
    const pr = (event as { pull_request?: { body?: unknown } } | null)?.pull_request;
    if (!pr || typeof pr !== 'object' || Array.isArray(pr)) {
      throw new UserError('SG_GATE_BAD_EVENT', `the GitHub event payload ${opts.eventPath} has no pull_request object (is this a pull_request event?)`, 'trigger the workflow with `on: pull_request`, or pass --pr-body FILE');
    }
    if (pr.body !== null && pr.body !== undefined && typeof pr.body !== 'string') {
      throw new UserError('SG_GATE_BAD_EVENT', `pull_request.body in ${opts.eventPath} is ${typeof pr.body}, not a string`, 'pass --pr-body FILE');
    }
    return { text: pr.body ?? '', source: `${opts.eventPath} (pull_request.body)` };
  }
  throw new UserError('SG_GATE_NO_PR_BODY', 'no PR body to check: neither --pr-body nor $GITHUB_EVENT_PATH is set', 'pass --pr-body FILE (or run in a GitHub pull_request workflow)');
}

/*
 * Finding the task-list boxes GitHub renders in a PR body.
 *
 * The project depends on no Markdown parser, and adding one for this single check is not worth
 * it, so this is a small line-based subset of CommonMark + GFM task lists. It tracks what decides
 * whether a `- [ ]` line is rendered as a checkbox: container blocks (blockquotes and list items,
 * so that a fence or comment inside one ends with it), fenced code blocks (closed only by the same
 * character, at least as long, nothing but spaces after, indented at most 3 spaces) and HTML
 * comment blocks (`<!--` … the line containing `-->`). Where it simplifies, it errs towards
 * counting a box: a `- [ ]` line indented 4+ spaces (indented code or paragraph text to GitHub)
 * still counts, as do `[ ]` items in other raw-HTML blocks. A false alarm asks for a ticked box or
 * a fence; a missed box would let an unticked checklist through the gate.
 */

type Container = { readonly kind: 'quote' } | { readonly kind: 'item'; readonly indent: number };
type Leaf = { readonly kind: 'para' } | { readonly kind: 'comment' } | { readonly kind: 'fence'; readonly char: string; readonly len: number } | null;

/** A list marker (`-`, `+`, `*`, `1.`, `1)`) with up to 3 spaces before it and a space, or the line end, after. */
const LIST_ITEM = /^( {0,3})([-+*]|\d{1,9}[.)])( *)(.*)$/;
/** A task-list marker at the start of a list item's text: `[ ]`, `[x]` or `[X]`, then whitespace or the line end. */
const TASK = /^\[([ xX])\](?: (.*))?$/;
const QUOTE = /^ {0,3}> ?/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const COMMENT_OPEN = /^ {0,3}<!--/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?: *\1){2,} *$/;
const ATX_HEADING = /^ {0,3}#{1,6}(?: |$)/;

const blank = (s: string): boolean => /^ *$/.test(s);
const indentOf = (s: string): number => /^ */.exec(s)![0].length;

/** Tabs to spaces (tab stops of 4, as CommonMark counts columns); `[<tab>]` stays a one-column box. */
function expandTabs(line: string): string {
  let out = '';
  for (const ch of line.replace(/\[\t\]/g, '[ ]')) out += ch === '\t' ? ' '.repeat(4 - (out.length % 4)) : ch;
  return out;
}

/** Can this line (after the matched containers) start a block, so it is not a lazy paragraph continuation? */
const startsBlock = (s: string): boolean =>
  QUOTE.test(s) || /^ {0,3}(?:[-+*]|\d{1,9}[.)])(?: |$)/.test(s) || FENCE_OPEN.test(s) || COMMENT_OPEN.test(s) || THEMATIC_BREAK.test(s) || ATX_HEADING.test(s);

/** Every task-list box GitHub would render in `text`, in order, with its 1-based line. */
export function findTaskBoxes(text: string): { line: number; ticked: boolean; text: string }[] {
  const boxes: { line: number; ticked: boolean; text: string }[] = [];
  const stack: Container[] = [];
  let leaf: Leaf = null;
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = expandTabs(raw);
    // 1. Continue the open containers: `>` for a blockquote, enough indentation (or a blank line) for a list item.
    let pos = 0;
    let matched = 0;
    for (const c of stack) {
      const rest = line.slice(pos);
      if (c.kind === 'quote') {
        const m = QUOTE.exec(rest);
        if (!m) break;
        pos += m[0].length;
      } else if (blank(rest)) {
        pos = line.length;
      } else if (indentOf(rest) >= c.indent) {
        pos += c.indent;
      } else break;
      matched++;
    }
    let rest = line.slice(pos);
    if (matched < stack.length) {
      // Only paragraph text continues lazily past unmatched containers; anything else closes them,
      // and with them an open fence or comment.
      if (leaf?.kind === 'para' && !blank(rest) && !startsBlock(rest)) return;
      stack.length = matched;
      leaf = null;
    }
    // 2. Inside a fence or a comment: look only for its end.
    if (leaf?.kind === 'fence') {
      const m = /^ {0,3}(`+|~+) *$/.exec(rest);
      if (m && m[1]![0] === leaf.char && m[1]!.length >= leaf.len) leaf = null;
      return;
    }
    if (leaf?.kind === 'comment') {
      if (rest.includes('-->')) leaf = null;
      return;
    }
    // 3. Open new blocks on the rest of the line.
    for (;;) {
      if (blank(rest)) {
        leaf = null;
        return;
      }
      if (indentOf(rest) >= 4) {
        // Indented code, or paragraph text: not a box to GitHub, but counted if it looks like one (see above).
        const m = LIST_ITEM.exec(rest.trimStart());
        const t = m && (m[3] || !m[4]) ? TASK.exec(m[4]!) : null;
        if (t) boxes.push({ line: i + 1, ticked: t[1] !== ' ', text: (t[2] ?? '').trim() });
        if (leaf?.kind !== 'para') leaf = null;
        return;
      }
      const q = QUOTE.exec(rest);
      if (q) {
        stack.push({ kind: 'quote' });
        leaf = null;
        rest = rest.slice(q[0].length);
        continue;
      }
      if (THEMATIC_BREAK.test(rest) || ATX_HEADING.test(rest)) {
        leaf = null;
        return;
      }
      const li = LIST_ITEM.exec(rest);
      if (li && (li[3] || !li[4])) {
        const [lead, marker, spaces, content] = [li[1]!, li[2]!, li[3]!, li[4]!];
        const task = TASK.exec(content);
        if (task) {
          boxes.push({ line: i + 1, ticked: task[1] !== ' ', text: (task[2] ?? '').trim() });
          stack.push({ kind: 'item', indent: lead.length + marker.length + (spaces.length <= 4 ? spaces.length : 1) });
          leaf = { kind: 'para' };
          return;
        }
        // Content indent: after the marker and 1–4 spaces; one space when the item starts blank or with indented code.
        const pad = !content || spaces.length > 4 ? 1 : spaces.length;
        stack.push({ kind: 'item', indent: lead.length + marker.length + pad });
        leaf = null;
        rest = content ? ' '.repeat(spaces.length - pad) + content : '';
        continue;
      }
      const f = FENCE_OPEN.exec(rest);
      if (f && !(f[1]![0] === '`' && f[2]!.includes('`'))) {
        leaf = { kind: 'fence', char: f[1]![0]!, len: f[1]!.length };
        return;
      }
      if (COMMENT_OPEN.test(rest)) {
        leaf = rest.includes('-->', rest.indexOf('<!--') + 2) ? null : { kind: 'comment' };
        return;
      }
      leaf = { kind: 'para' };
      return;
    }
  });
  return boxes;
}

/**
 * Every task-list box in the PR body must be ticked. A body without any box is unmet too: the
 * checklist template was removed, and an empty checklist proves nothing.
 */
export function checkPrChecklist(body: PrBody): GateCondition {
  const boxes = findTaskBoxes(body.text);
  const ticked = boxes.filter((b) => b.ticked).length;
  const open = boxes.filter((b) => !b.ticked);
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
