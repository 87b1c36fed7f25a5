import { formatGrepJson, formatGrepSarif, formatGrepSummary, formatGrepText } from '../../audit/grep/format-report.js';
import { grepFiles } from '../../audit/grep/grep-files.js';
import { incompleteSkips } from '../../audit/grep/incomplete-skips.js';
import { noFilesMessage } from '../../actions/audit/grep-action.js';
import { missingPaths, missingPathsHint, missingPathsMessage } from '../../audit/grep/missing-paths.js';
import { UserError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import type { CliIO } from '../io.js';

// Its own module (not with `audit env`) so that `audit grep` loads none of env's modules:
// module loading is a measurable part of a run that rg finishes in ~0.2 s.

export interface GrepFlags {
  allow: string[];
  marker: boolean;
  ignoreCase?: boolean;
  hidden?: boolean;
  ignore: boolean;
  threads?: number;
  maxHits: number;
  showAllowed?: boolean;
  showSkipped?: boolean;
  json?: boolean;
  sarif?: boolean;
}

export async function grepCommand(io: CliIO, pattern: string, paths: string[], f: GrepFlags): Promise<ExitCode> {
  if (f.json && f.sarif) throw new UserError('SG_FLAGS', '--json and --sarif are exclusive', 'choose one output format');
  if (f.threads !== undefined && !(Number.isInteger(f.threads) && f.threads >= 1)) throw new UserError('SG_FLAGS', `--threads ${f.threads} is not a positive integer`, 'e.g. --threads 2');
  if (!(Number.isInteger(f.maxHits) && f.maxHits >= 0)) throw new UserError('SG_FLAGS', `--max-hits must be a whole number ≥ 0`, 'e.g. --max-hits 0');
  const r = await grepFiles(pattern, paths, {
    cwd: io.cwd,
    allow: { globs: f.allow, marker: f.marker },
    ignoreCase: f.ignoreCase ?? false,
    hidden: f.hidden ?? false,
    respectIgnore: f.ignore,
    ...(f.threads ? { threads: f.threads } : {}),
  });
  if (f.json) io.stdout.write(formatGrepJson(r));
  else if (f.sarif) io.stdout.write(formatGrepSarif(r));
  else io.stdout.write(formatGrepText(r, { showAllowed: f.showAllowed ?? false }));
  io.stderr.write(formatGrepSummary(r, { showSkipped: f.showSkipped ?? false }));
  // A path that does not exist is a wrong argument (as for rg: exit 2), not a file to fix.
  const missing = missingPaths(r);
  if (missing.length) {
    io.stderr.write(`error SG_AUDIT_NO_SUCH_PATH: ${missingPathsMessage(missing, io.cwd)}\n  → ${missingPathsHint(pattern, paths, missing, io.cwd)}\n`);
    return ExitCode.InvalidInput;
  }
  const unreadable = incompleteSkips(r.skipped);
  if (unreadable.length) {
    io.stderr.write(`error SG_AUDIT_INCOMPLETE: ${unreadable.length} file(s) could not be read whole, so the audit is incomplete\n  → fix what each skipped line above names (permissions, a broken symlink, a line longer than the limit) or exclude those files (.gitignore / a narrower path), then run again\n`);
    return ExitCode.Failed;
  }
  if (r.filesSearched === 0) {
    io.stderr.write(`error SG_AUDIT_NO_FILES: ${noFilesMessage(paths)}\n  → name files that are not ignored, or pass --no-ignore / --hidden: shipgate audit grep PATTERN PATH --no-ignore\n`);
    return ExitCode.Failed;
  }
  return r.hits.length > f.maxHits ? ExitCode.Failed : ExitCode.Success;
}

