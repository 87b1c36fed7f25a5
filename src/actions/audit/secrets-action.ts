import { resolve } from 'node:path';
import { checkSecrets } from '../../audit/secrets/check-secrets.js';
import type { ActionImpl } from '../action.js';
import type { SecretsWith } from './schemas.js';

/**
 * `uses: secrets/check` — checks the run's environment's declared secrets. Values come from the
 * context (the engine resolved them from the process env / dotenv); provider commands are run
 * for `source: {command}` specs.
 */
export const secretsAction: ActionImpl<SecretsWith> = {
  async run(w, ctx) {
    const envSpec = ctx.runbook.runbook.environments[ctx.environment];
    const dotenv = envSpec?.dotenv ?? '.env';
    const r = await checkSecrets({
      cwd: ctx.cwd,
      env: { ...ctx.secrets },
      commandEnv: ctx.env,
      dotenvFile: resolve(ctx.runbook.dir, dotenv),
      secrets: envSpec?.secrets ?? [],
      evidence: ctx.evidence,
      clock: ctx.clock,
      tree: w.tree,
      history: w.history,
      shapes: w.shapes,
      allowFiles: w['allow-files'],
      signal: ctx.signal,
    });
    const failed = r.findings.filter((f) => f.status === 'failed');
    const unmeasured = r.findings.filter((f) => f.status === 'unmeasured');
    for (const f of [...failed, ...unmeasured]) ctx.log(`${f.status}: ${f.secret} ${f.check}: expected ${f.expected}, measured ${f.measured}`);
    const status = failed.length ? 'failed' : unmeasured.length && !w['accept-unmeasured'] ? 'inconclusive' : 'passed';
    return {
      status,
      summary: `${failed.length} failed, ${unmeasured.length} unmeasured of ${r.findings.length} secret check(s)${failed.length ? `: ${failed.slice(0, 5).map((f) => `${f.secret} ${f.check}`).join(', ')}` : ''}`,
      checks: r.findings.map((f) => ({ name: `${f.secret} ${f.check}`, passed: f.status === 'passed', expected: f.expected, measured: f.measured })),
      data: { status: r.status, ...(r.history ? { history: r.history } : {}) },
    };
  },
};
