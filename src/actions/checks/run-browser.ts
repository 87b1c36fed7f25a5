import { checkBrowser } from '../../checks/browser-check.js';
import type { ActionImpl } from '../action.js';
import { outcomeFromResult } from './outcome.js';
import { toBrowserOptions } from './to-options.js';
import type { BrowserWithT } from './with-schemas.js';

/** check/browser: screenshots of every checkpoint become artifacts of the step. */
export const browserImpl: ActionImpl<BrowserWithT> = {
  async run(w, ctx) {
    const r = await checkBrowser(toBrowserOptions(w), ctx);
    return outcomeFromResult(r, ctx, { screenshots: String(r.files?.length ?? 0) });
  },
};
