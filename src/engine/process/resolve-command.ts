import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

const found = new Map<string, string>();

/**
 * The absolute path of `file` on the step's PATH, as the spawn would find it. Resolved here,
 * once per run for each (file, PATH), because spawning by bare name makes the child try
 * execve() in every PATH directory before the right one — eight failed calls per step on these
 * machines' PATH, for every one of a long runbook's steps (bench/engine/overhead.mjs, strace).
 *
 * A name not found, or a PATH with an empty or relative entry before the match, is returned as
 * it is, and the spawn looks it up as before (an ENOENT names it if it is missing); failures are
 * not cached (a step may install the tool a later step uses). A binary added mid-run to an
 * earlier PATH directory than the one found is not noticed: shells do not move during a run.
 * By hand rather than the `which` package: it resolves relative PATH entries against this
 * process's cwd, where the spawn resolves them against the step's; the lookup is also cached here.
 */
export function resolveCommand(file: string, path: string | undefined): string {
  if (file.includes('/') || isAbsolute(file) || process.platform === 'win32') return file;
  const key = `${path ?? ''}\0${file}`;
  const hit = found.get(key);
  if (hit) return hit;
  for (const dir of (path ?? '').split(delimiter)) {
    // An empty or relative entry means "relative to the step's cwd" to the spawn's own lookup:
    // from here it would be resolved against shipgate's cwd instead. Leave such a PATH to it.
    if (!isAbsolute(dir)) return file;
    const candidate = join(dir, file);
    if (isExecutableFile(candidate)) {
      found.set(key, candidate);
      return candidate;
    }
  }
  return file;
}

function isExecutableFile(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
