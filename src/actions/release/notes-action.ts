import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ActionImpl } from '../action.js';
import { prepareRelease } from './prepare-release.js';
import type { NotesWith } from './schemas.js';

/** `uses: notes` — grouped Markdown release notes since the last tag, kept as an artifact. */
export const notesAction: ActionImpl<NotesWith> = {
  async run(w, ctx) {
    const version = w.version ?? ctx.release ?? undefined;
    const prep = await prepareRelease({ cwd: ctx.cwd, migrations: w.migrations, clock: ctx.clock, ...(w.since ? { since: w.since } : {}), ...(version ? { version } : {}) });
    if (w.out) await writeFile(resolve(ctx.cwd, w.out), prep.notes);
    const ref = await ctx.artifacts.put('release-notes.md', prep.notes, 'text/markdown');
    return {
      status: 'passed',
      summary: `release notes for ${prep.version}: ${prep.commits} commit(s) since ${prep.suggestion.previous ?? 'the first commit'} (suggested bump: ${prep.suggestion.bump})`,
      outputs: { version: prep.version, suggested: prep.suggestion.next },
      artifacts: [ref],
    };
  },
};
