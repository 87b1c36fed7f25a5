import { describe, expect, it } from 'vitest';
import { checkPrChecklist } from '../../src/audit/gate/pr-checklist.js';

const check = (text: string) => checkPrChecklist({ text, source: 'pr.md' });
const TICKED = '- [x] Tests pass\n';

describe('PR checklist: fenced code blocks (CommonMark fences)', () => {
  it('a ~~~ line inside a ``` block does not close it; a box after the block counts', () => {
    const r = check(`${TICKED}\`\`\`\n~~~\n- [ ] inside\n\`\`\`\n- [ ] Backup verified\n`);
    expect(r).toMatchObject({ status: 'unmet', measured: '1 of 2 ticked; open: "Backup verified"' });
  });

  it('a shorter fence does not close a longer one', () => {
    const r = check(`${TICKED}\`\`\`\`\n\`\`\`\n\`\`\`\`\n- [ ] Backup verified\n`);
    expect(r).toMatchObject({ status: 'unmet', measured: '1 of 2 ticked; open: "Backup verified"' });
    const tilde = check(`${TICKED}~~~~~\n~~~\n- [ ] inside\n~~~~~~\n- [ ] Backup verified\n`);
    expect(tilde).toMatchObject({ status: 'unmet', measured: '1 of 2 ticked; open: "Backup verified"' });
  });

  it('a fence line with text after it does not close the fence', () => {
    const r = check(`${TICKED}\`\`\`\n\`\`\` not a closer\n- [ ] inside\n\`\`\`\n- [ ] Backup verified\n`);
    expect(r).toMatchObject({ status: 'unmet', measured: '1 of 2 ticked; open: "Backup verified"' });
  });

  it('fences indented up to 3 spaces count; 4 spaces is not a fence', () => {
    expect(check(`   \`\`\`\n- [ ] inside\n   \`\`\`   \n${TICKED}`)).toMatchObject({ status: 'met', measured: '1 of 1 ticked' });
    // after "- [x] …", a 3-space ``` line is inside that list item, so a following "- [ ]" ends the fence
    expect(check(`${TICKED}   \`\`\`\n- [ ] Backup verified\n`).status).toBe('unmet');
    // a 4-space-indented ``` is not a fence opener, so the box after it still counts
    expect(check(`${TICKED}\n    \`\`\`\n- [ ] Backup verified\n`).status).toBe('unmet');
  });

  it('``` with a backtick in the info string is inline code, not a fence', () => {
    expect(check(`${TICKED}\`\`\`a\`\`\`\n- [ ] Backup verified\n`).status).toBe('unmet');
  });

  it('boxes inside a real fence are still ignored (``` and ~~~), also an unclosed fence', () => {
    expect(check(`${TICKED}\`\`\`md\n- [ ] example\n\`\`\`\n~~~\n- [ ] example\n~~~\n`)).toMatchObject({ status: 'met', measured: '1 of 1 ticked' });
    expect(check(`${TICKED}\`\`\`\n- [ ] example, fence never closed\n`).status).toBe('met');
  });

  it('a fence inside a blockquote or list item ends with its container', () => {
    expect(check(`${TICKED}> \`\`\`\n> code\n- [ ] Backup verified\n`).status).toBe('unmet');
    expect(check(`- [x] Tests pass\n  \`\`\`\n  code\n- [ ] Backup verified\n`).status).toBe('unmet');
    // …and a fence nested in a list item is closed by an indented closer
    expect(check(`- [x] Tests pass\n  \`\`\`\n  - [ ] example\n  \`\`\`\n- [ ] Backup verified\n`))
      .toMatchObject({ status: 'unmet', measured: '1 of 2 ticked; open: "Backup verified"' });
  });
});

describe('PR checklist: blockquotes', () => {
  it('open boxes in a blockquote count', () => {
    expect(check(`${TICKED}> - [ ] Rollback rehearsed\n`)).toMatchObject({ status: 'unmet', measured: '1 of 2 ticked; open: "Rollback rehearsed"' });
    expect(check(`${TICKED}>- [ ] Rollback rehearsed\n`).status).toBe('unmet');
  });

  it('nested blockquotes count too, and ticked boxes in quotes count as ticked', () => {
    expect(check(`${TICKED}> > - [ ] Rollback rehearsed\n`)).toMatchObject({ status: 'unmet', measured: '1 of 2 ticked; open: "Rollback rehearsed"' });
    expect(check('> - [x] a\n> > * [X] b\n')).toMatchObject({ status: 'met', measured: '2 of 2 ticked' });
  });

  it('a fence in a blockquote hides its boxes', () => {
    expect(check(`${TICKED}> \`\`\`\n> - [ ] example\n> \`\`\`\n`).status).toBe('met');
  });
});

describe('PR checklist: HTML comments', () => {
  it('boxes in a one-line comment do not count', () => {
    expect(check(`${TICKED}<!-- - [ ] example -->\n`)).toMatchObject({ status: 'met', measured: '1 of 1 ticked' });
  });

  it('boxes in a multi-line comment (PR template style) do not count', () => {
    const body = `<!--\nTick each box:\n- [ ] example\n-->\n${TICKED}<!-- another\n  - [ ] example\n  -->\n`;
    expect(check(body)).toMatchObject({ status: 'met', measured: '1 of 1 ticked' });
  });

  it('a box after the comment closes counts; a comment-only checklist is not met', () => {
    expect(check(`<!--\n- [x] a\n-->\n- [ ] Backup verified\n`)).toMatchObject({ status: 'unmet', measured: '0 of 1 ticked; open: "Backup verified"' });
    expect(check('<!--\n- [x] a\n-->\n').status).toBe('unmet');
  });

  it('a comment inside a list item ends with the item', () => {
    expect(check(`- [x] a\n  <!--\n  - [ ] hidden\n- [ ] Backup verified\n`)).toMatchObject({ status: 'unmet', measured: '1 of 2 ticked; open: "Backup verified"' });
  });
});

describe('PR checklist: list item forms', () => {
  it('[x] and [X] are ticked; *, + and ordered items count', () => {
    expect(check('- [x] a\n- [X] b\n* [x] c\n+ [X] d\n1. [x] e\n2) [x] f\n')).toMatchObject({ status: 'met', measured: '6 of 6 ticked' });
    for (const item of ['* [ ] open', '+ [ ] open', '1. [ ] open', '10) [ ] open']) {
      expect(check(`${TICKED}${item}\n`), item).toMatchObject({ status: 'unmet', measured: '1 of 2 ticked; open: "open"' });
    }
  });

  it('indented and nested items count', () => {
    expect(check(`- [x] a\n  - [ ] nested\n`).status).toBe('unmet');
    expect(check(`1. [x] a\n   1. [x] b\n      - [ ] deep\n`).status).toBe('unmet');
    expect(check(`${TICKED}  - [ ] indented\n`).status).toBe('unmet');
    expect(check(`${TICKED}- - [ ] same-line nested\n`).status).toBe('unmet');
  });

  it('a bare "- [ ]" with no text is an open box', () => {
    expect(check(`${TICKED}- [ ]\n`).status).toBe('unmet');
  });

  it('a [ ] that does not start the list item, or sits in inline code, is not a box', () => {
    expect(check(`${TICKED}- text [ ] later\n- \`[ ]\` in code\n- [ ]no-space\nplain [ ] text\n`)).toMatchObject({ status: 'met', measured: '1 of 1 ticked' });
  });

  it('a continuation line of a list item is not a box', () => {
    expect(check(`${TICKED}- item\n  [ ] continuation\n`).status).toBe('met');
  });
});

describe('PR checklist: line endings and tabs', () => {
  it('CRLF bodies parse the same (fences, comments, boxes)', () => {
    const body = '- [x] Tests pass\r\n```\r\n~~~\r\n```\r\n<!--\r\n- [ ] example\r\n-->\r\n- [ ] Backup verified\r\n';
    expect(check(body)).toMatchObject({ status: 'unmet', measured: '1 of 2 ticked; open: "Backup verified"' });
    expect(check('- [x] a\r\n- [X] b\r\n')).toMatchObject({ status: 'met', measured: '2 of 2 ticked' });
  });

  it('tabs after the marker and in the indentation', () => {
    expect(check(`${TICKED}-\t[ ]\tBackup verified\n`)).toMatchObject({ status: 'unmet', measured: '1 of 2 ticked; open: "Backup verified"' });
    expect(check(`- [x] a\n\t- [ ] nested\n`).status).toBe('unmet');
    expect(check(`${TICKED}>\t- [ ] quoted\n`).status).toBe('unmet');
  });
});

describe('PR body from the GitHub event payload', () => {
  it('a byte-order mark is read past; a pull_request that is not an object is a bad event (exit 2), not an empty checklist', async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { readPrBody } = await import('../../src/audit/gate/pr-checklist.js');
    const dir = mkdtempSync(join(tmpdir(), 'sg-event-'));
    try {
      const event = join(dir, 'event.json');
      writeFileSync(event, '\uFEFF' + JSON.stringify({ pull_request: { body: '- [x] ok' } }));
      expect((await readPrBody({ cwd: dir, eventPath: event })).text).toBe('- [x] ok');
      writeFileSync(event, JSON.stringify({ pull_request: [] }));
      await expect(readPrBody({ cwd: dir, eventPath: event })).rejects.toMatchObject({ code: 'SG_GATE_BAD_EVENT' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
