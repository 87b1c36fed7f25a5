import { auditEnv } from '../../audit/env/audit-env.js';
import type { ActionImpl } from '../action.js';
import type { EnvWith } from './schemas.js';

/** `uses: audit/env` — a thin adapter over auditEnv. */
export const envAction: ActionImpl<EnvWith> = {
  async run(w, ctx) {
    // The environment's secrets are never shown, whatever the assertion says.
    const r = await auditEnv({ cwd: ctx.cwd, file: w.file, assertions: w.assert, sensitiveKeys: new Set(Object.keys(ctx.secrets)) });
    const bad = r.findings.filter((f) => !f.passed);
    for (const f of bad) ctx.log(`${f.file}:${f.line}: ${f.key} ${f.check}: expected ${f.expected}, measured ${f.measured}`);
    return {
      status: bad.length ? 'failed' : 'passed',
      summary: bad.length ? `${bad.length} of ${r.findings.length} assertion(s) on ${w.file} failed: ${bad.map((f) => `${f.key} ${f.check} (line ${f.line})`).join(', ')}` : `${r.findings.length} assertion(s) on ${w.file} hold`,
      checks: r.findings.map((f) => ({ name: `${f.key} ${f.check}`, passed: f.passed, expected: f.expected, measured: f.measured, details: { file: f.file, line: f.line } })),
    };
  },
};
