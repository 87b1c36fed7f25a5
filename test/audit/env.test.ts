import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { auditEnv } from '../../src/audit/env/audit-env.js';
import { parseDotenv } from '../../src/audit/env/parse-dotenv.js';
import { runCli } from '../support/cli-run.js';
import { makeTempDir } from '../support/temp-dir.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

describe('dotenv parser', () => {
  it('keeps line numbers across comments, export, quotes and multi-line values', () => {
    const { entries, problems } = parseDotenv('# c\nexport A=1\nB="x\ny"\nC=\'lit\\n\' # c\nD=plain # comment\nnot a line\nE="a\\nb"\n');
    expect(entries.map((e) => [e.key, e.value, e.line])).toEqual([
      ['A', '1', 2],
      ['B', 'x\ny', 3],
      ['C', 'lit\\n', 5],
      ['D', 'plain', 6],
      ['E', 'a\nb', 8],
    ]);
    expect(problems).toEqual([{ line: 7, message: 'not a KEY=value line' }]);
  });

  it('text after a closing quote is a syntax problem, not silently dropped', () => {
    const { entries, problems } = parseDotenv("B='it's'\nC=\"ok\" # fine\nD=\"a\"b\n");
    expect(entries.map((e) => [e.key, e.value])).toEqual([['B', 'it'], ['C', 'ok'], ['D', 'a']]);
    expect(problems).toEqual([
      { line: 1, message: "B: text after the closing ' quote; quote the whole value (use the other quote character inside)" },
      { line: 3, message: 'D: text after the closing " quote; quote the whole value (use the other quote character inside)' },
    ]);
  });

  it('round-trips simple KEY=value files (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/), fc.stringMatching(/^[A-Za-z0-9:/._-]{0,12}$/), { minKeys: 1, maxKeys: 8 }), (d) => {
        const text = Object.entries(d).map(([k, v]) => `${k}=${v}`).join('\n');
        const { entries } = parseDotenv(text);
        expect(Object.fromEntries(entries.map((e) => [e.key, e.value]))).toEqual(d);
      }),
    );
  });
});

describe('audit env', () => {
  function dir(files: Record<string, string>): string {
    const t = makeTempDir();
    cleanups.push(t.cleanup);
    for (const [p, c] of Object.entries(files)) writeFileSync(join(t.dir, p), c);
    return t.dir;
  }

  it('checks equals, regex, port, unset and differs-from, each with file:line', async () => {
    const cwd = dir({ '.env': 'PORT=8100\nFRONTEND_URL=https://app.example.com:5173\nDEV_MODE=1\nSECRET_KEY=same\nBAD_PORT=99999\n', '.env.development': 'SECRET_KEY=same\n' });
    const r = await auditEnv({
      cwd,
      file: '.env',
      assertions: [
        { key: 'PORT', equals: '8100', port: true },
        { key: 'FRONTEND_URL', regex: ':5173$' },
        { key: 'DEV_MODE', unset: true },
        { key: 'SECRET_KEY', 'differs-from': '.env.development' },
        { key: 'BAD_PORT', port: true },
        { key: 'MISSING', equals: 'x' },
      ],
    });
    expect(r.findings.map((f) => `${f.file}:${f.line} ${f.key} ${f.check} ${f.passed}`)).toEqual([
      '.env:1 PORT equals true',
      '.env:1 PORT port true',
      '.env:2 FRONTEND_URL regex true',
      '.env:3 DEV_MODE unset false',
      '.env:4 SECRET_KEY differs-from false',
      '.env:5 BAD_PORT port false',
      '.env:0 MISSING present false',
    ]);
    // differs-from never shows either value.
    expect(JSON.stringify(r.findings.find((f) => f.check === 'differs-from'))).not.toContain('same"');
    const cli = await runCli(['audit', 'env', '--equals', 'PORT=8100', '--port', 'PORT', '--unset', 'DEV_MODE'], { cwd });
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('.env:3: FAIL DEV_MODE unset: expected not set, measured set at line 3 to "1"');
  });

  it('a directory where the dotenv file is expected is a clear error (exit 2)', async () => {
    const cwd = dir({});
    mkdirSync(join(cwd, '.env'));
    const r = await runCli(['audit', 'env', '--port', 'PORT'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error SG_AUDIT_ENV_UNREADABLE: cannot read dotenv file .env: a directory, not a dotenv file');
  });
});
