import { tagRelease } from '../../release/tag-release.js';
import type { ActionImpl } from '../action.js';
import { prepareRelease } from './prepare-release.js';
import type { TagWith } from './schemas.js';

/** `uses: git/tag` — annotated semver tag, pushed when a remote exists, verified with git describe. */
export const tagAction: ActionImpl<TagWith> = {
  async run(w, ctx) {
    const prep = await prepareRelease({ cwd: ctx.cwd, migrations: w.migrations, clock: ctx.clock, ...(w.version ?? ctx.release ? { version: (w.version ?? ctx.release)! } : {}) });
    if (prep.suggestion.bump === 'none' && !w.version && !ctx.release) {
      return { status: 'failed', summary: `nothing to release since ${prep.suggestion.previous ?? 'the first commit'} (no feat/fix/breaking commit); give with: version to tag anyway` };
    }
    const r = await tagRelease({ cwd: ctx.cwd, version: prep.version, push: w.push, ...(w.remote ? { remote: w.remote } : {}), ...(w.message ? { message: w.message } : {}) });
    return {
      status: 'passed',
      summary: `tagged ${r.tag} at ${r.commit.slice(0, 12)}${r.pushedTo ? `, pushed to ${r.pushedTo}` : ' (no remote: not pushed)'}; git describe → ${r.described}`,
      outputs: { tag: r.tag, commit: r.commit },
      checks: [{ name: 'git describe --tags --abbrev=0', passed: true, expected: r.tag, measured: r.described }],
      data: { tag: r.tag, commit: r.commit, pushedTo: r.pushedTo ?? null, suggestion: prep.suggestion },
    };
  },
};
