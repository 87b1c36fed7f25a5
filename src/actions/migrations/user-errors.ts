import type { ActionContext, ActionImpl, ActionOutcome } from '../action.js';
import { isUserError } from '../../core/errors.js';

/**
 * A migrations action whose input problems (missing migrations folder, no `migrations:` block,
 * no database …) end the step `failed` with the code, the cause and the next command, as a
 * check with expected vs measured. Anything else still throws: the engine reports it as a bug.
 */
export function withUserErrors<W>(impl: ActionImpl<W>): ActionImpl<W> {
  return {
    async run(input: W, ctx: ActionContext): Promise<ActionOutcome> {
      try {
        return await impl.run(input, ctx);
      } catch (e) {
        if (!isUserError(e)) throw e;
        const next = e.hint ? ` → ${e.hint}` : '';
        ctx.log(`error ${e.code}: ${e.message}${next}`);
        return {
          status: 'failed',
          summary: `${e.code}: ${e.message}${next}`,
          checks: [{ name: 'migrations-input', passed: false, expected: 'the runbook\'s migrations and database can be read', measured: `${e.code}: ${e.message}` }],
          data: { error: { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) } },
        };
      }
    },
  };
}
