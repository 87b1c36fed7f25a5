import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { compilePattern } from '../../src/audit/grep/compile-pattern.js';
import { grepFiles } from '../../src/audit/grep/grep-files.js';
import { requiredLiterals } from '../../src/audit/grep/required-literals.js';
import { missing } from '../support/audit-services.js';
import { useTempTrees } from '../support/temp-dir.js';

const tree = useTempTrees(afterEach);

const TEXT = [
  'café latte',
  'naïve',
  'x\u0663y', // ARABIC-INDIC DIGIT THREE
  'foo\u00a0bar', // no-break space
  'word_boundary ünïcode',
  '  _proto.\u{20BB7}野家 = function \u{20BB7}野家() {};', // a non-BMP identifier (babel's fixtures)
  'a\u0085b', // NEL: White_Space for rg, not \s for JavaScript
  'a\ufeffb', // BOM in a line: \s for JavaScript, not White_Space
  'plain ascii_words 42',
  '\u{20BB7}', // one astral letter: no \B inside it (V8 let a lookaround match start mid-pair)
  '\u{20BB7}\u{20BB7}',
].join('\n');
const PATTERNS = ['\\w+é', '\\bcafé\\b', 'x\\dy', 'foo\\sbar', '\\bünïcode\\b', 'na\\wve', '[\\w]+', '\\Bnï', 'caf\\W', 'function\\s+\\w+\\(', 'a\\sb', 'a\\Sb', '[\\d\\s]+', '\\D+42', '\\B', '\\B\\S'];

describe('audit grep: \\w, \\d, \\s and \\b mean what they mean to rg (Unicode)', () => {
  it.skipIf(missing('rg'))('finds the lines rg finds, at the same byte columns, for each class', async () => {
    const dir = tree({ 'u.txt': TEXT + '\n' });
    for (const pattern of PATTERNS) {
      const r = await grepFiles(pattern, ['u.txt'], { cwd: dir });
      const ours = r.hits.map((h) => `${h.line}:${h.column}`);
      const rg = spawnSync('rg', ['-n', '--column', pattern, 'u.txt'], { cwd: dir, encoding: 'utf8' }).stdout;
      const theirs = rg.split('\n').filter(Boolean).map((l) => l.split(':').slice(0, 2).join(':'));
      expect(ours, pattern).toEqual(theirs);
    }
  });

  it('translates the classes (so JavaScript would not read them as ASCII), and says so', () => {
    const p = compilePattern('\\w\\d\\s[\\w\\d]\\b');
    expect(new RegExp(p.jsSource, p.flags).test('é\u0663\u00a0ü ')).toBe(true);
    expect(new RegExp(`^(?:${p.jsSource})$`, p.flags).test('a1 bc')).toBe(false); // the boundary needs a non-word after
    expect(p.notes.some((n) => n.includes('Unicode classes'))).toBe(true);
    // \W inside a class keeps the ASCII meaning (no spelling for it without the v flag), with a note
    const w = compilePattern('[\\W_]');
    expect(w.jsSource).toBe('[\\W_]');
    expect(w.notes.some((n) => n.includes('ASCII meaning'))).toBe(true);
  });

  it('an invalid pattern is located in the pattern as written, not in its translation', () => {
    const position = (pattern: string): unknown => {
      try {
        compilePattern(pattern);
        return 'compiled';
      } catch (e) {
        return (e as { details?: { position?: number } }).details?.position;
      }
    };
    expect(position('\\w(')).toBe(3);
    expect(position('\\b)')).toBe(3);
    expect(position('x\\d[')).toBe(4);
    expect(position('\\s{2,1}')).toBe(7);
    expect(position('ab(c|d')).toBe(3);
  });

  it('keeps the literals a match needs around translated classes and property escapes', () => {
    const lit = (pattern: string): string[] | undefined => {
      const p = compilePattern(pattern);
      return requiredLiterals(p.jsSource, p.flags);
    };
    expect(lit('function\\s+\\w+\\(')).toEqual(['function']);
    expect(lit('\\bTODO\\b')).toEqual(['TODO']);
    expect(lit('\\p{L}+foo')).toEqual(['foo']);
    expect(lit('a\\u{41}bcd')).toEqual(['bcd']);
    expect(lit('ab\\u0041cd')).toEqual(['ab']);
    expect(lit('(x)\\1yy')).toEqual(['yy']);
    expect(lit('\\d+')).toBeUndefined();
  });
});
