import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Transpiles src/ to plain ESM JavaScript for child processes (which cannot load .ts on Node 20),
 * without type-checking, into node_modules/.cache/ so that the output resolves the worktree's
 * packages. Faster and always fresher than depending on a prior `npm run build`. Returns the
 * output directory (mirroring src/) and a cleanup.
 */
export function compileSrc(): { dir: string; cleanup(): void } {
  const dir = join(ROOT, 'node_modules', '.cache', `sg-src-${process.pid}-${randomBytes(4).toString('hex')}`);
  const src = join(ROOT, 'src');
  for (const file of walk(src)) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts') || file.endsWith('.d.ts')) continue;
    const out = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
      fileName: file,
    });
    const target = join(dir, relative(src, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, out.outputText);
  }
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(p);
    else yield p;
  }
}

export const REPO_ROOT = ROOT;
