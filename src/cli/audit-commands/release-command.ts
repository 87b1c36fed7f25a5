import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as z from 'zod';
import { prepareRelease } from '../../actions/release/prepare-release.js';
import { UserError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import type { MigrationClassInput } from '../../release/suggest-version.js';
import { tagRelease } from '../../release/tag-release.js';
import type { CliIO } from '../io.js';

const MigrationList = z.array(z.strictObject({ migration: z.string(), class: z.enum(['none', 'backward-compatible', 'breaking', 'unknown']) }));

async function readMigrations(io: CliIO, file: string | undefined): Promise<MigrationClassInput[]> {
  if (!file) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(resolve(io.cwd, file), 'utf8'));
  } catch (e) {
    throw new UserError('SG_FLAGS', `--migrations ${file}: ${(e as Error).message}`, 'pass a JSON file like [{"migration": "0007_drop_col.sql", "class": "breaking"}]');
  }
  const p = MigrationList.safeParse(raw);
  if (!p.success) throw new UserError('SG_FLAGS', `--migrations ${file}: ${p.error.issues[0]?.path.join('.')}: ${p.error.issues[0]?.message}`, 'each item is {"migration": NAME, "class": "none"|"backward-compatible"|"breaking"}');
  return p.data;
}

export async function tagCommand(io: CliIO, version: string | undefined, f: { migrations?: string; push: boolean; remote?: string; message?: string }): Promise<ExitCode> {
  const migrations = await readMigrations(io, f.migrations);
  const prep = await prepareRelease({ cwd: io.cwd, migrations, clock: () => new Date(), ...(version ? { version } : {}) });
  if (!version && prep.suggestion.bump === 'none') {
    throw new UserError('SG_NOTHING_TO_RELEASE', `no feat, fix or breaking commit since ${prep.suggestion.previous ?? 'the first commit'}`, 'give the version explicitly to tag anyway: shipgate tag vX.Y.Z');
  }
  const r = await tagRelease({ cwd: io.cwd, version: prep.version, push: f.push, ...(f.remote ? { remote: f.remote } : {}), ...(f.message ? { message: f.message } : {}) });
  io.stdout.write(`tagged ${r.tag} at ${r.commit.slice(0, 12)}${r.pushedTo ? `, pushed to ${r.pushedTo}` : ' (not pushed: no remote or --no-push)'}\ngit describe --tags --abbrev=0 → ${r.described}\n`);
  return ExitCode.Success;
}

export async function notesCommand(io: CliIO, f: { since?: string; version?: string; migrations?: string; suggest?: boolean; json?: boolean }): Promise<ExitCode> {
  const migrations = await readMigrations(io, f.migrations);
  const prep = await prepareRelease({ cwd: io.cwd, migrations, clock: () => new Date(), ...(f.since ? { since: f.since } : {}), ...(f.version ? { version: f.version } : {}) });
  if (f.json) io.stdout.write(JSON.stringify(prep, null, 2) + '\n');
  else if (f.suggest) io.stdout.write(`${prep.suggestion.next} (${prep.suggestion.bump} from ${prep.suggestion.previous ?? 'nothing tagged'})\n${prep.suggestion.reasons.map((r) => `  ${r}`).join('\n')}\n`);
  else io.stdout.write(prep.notes);
  return ExitCode.Success;
}
