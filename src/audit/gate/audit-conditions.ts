import { resolve } from 'node:path';
import { GrepWithSchema, EnvWithSchema } from '../../actions/audit/schemas.js';
import { isUserError } from '../../core/errors.js';
import type { Runbook } from '../../runbook/schema.js';
import { auditEnv } from '../env/audit-env.js';
import { grepFiles } from '../grep/grep-files.js';
import { incompleteSkips } from '../grep/incomplete-skips.js';
import { missingPaths } from '../grep/missing-paths.js';
import type { GateAnnotation, GateCondition } from './gate-condition.js';
import { normalizeSecret } from '../secrets/secret-spec.js';
import { stepsUsing } from './steps-using.js';

const hasExpression = (v: unknown): boolean => JSON.stringify(v ?? {}).includes('${{');

/**
 * Runs the runbook's `audit/grep` and `audit/env` steps (with their `with:`) as one condition:
 * every step at or under its hit budget and every assertion true.
 */
export async function checkAuditSteps(rb: Runbook, runbookDir: string): Promise<GateCondition> {
  const steps = stepsUsing(rb, ['audit/grep', 'audit/env']);
  const title = 'Audit steps green';
  if (!steps.length) return { id: 'audit', title, status: 'not-applicable', expected: 'audit steps pass', measured: 'the runbook has no audit/grep or audit/env step' };
  const problems: string[] = [];
  const annotations: GateAnnotation[] = [];
  // Keys declared as secrets in any environment: audit/env never shows their values.
  const declared = new Set(Object.values(rb.environments).flatMap((e) => e.secrets.map((s) => normalizeSecret(s).name)));
  const passed: string[] = [];
  for (const s of steps) {
    // Where a run would run it (plan-run.ts): the step's cwd, else the runbook's defaults.cwd.
    const cwd = resolve(runbookDir, s.cwd ?? rb.defaults?.cwd ?? '.');
    if (hasExpression(s.with)) {
      problems.push(`${s.id}: with: uses \${{ }} expressions, which only a run can expand (unmeasured)`);
      continue;
    }
    const parsed = (s.uses === 'audit/grep' ? GrepWithSchema : EnvWithSchema).safeParse(s.with ?? {});
    if (!parsed.success) {
      problems.push(`${s.id}: invalid with: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      continue;
    }
    try {
      if (s.uses === 'audit/grep') {
        const w = GrepWithSchema.parse(s.with ?? {});
        const r = await grepFiles(w.pattern, w.paths, { cwd, allow: { globs: w.allow, marker: w.marker }, ignoreCase: w['ignore-case'], hidden: w.hidden });
        const incomplete = incompleteSkips(r.skipped);
        const missing = missingPaths(r);
        // As the action and `shipgate audit grep`: a search of no file proves nothing.
        const none = r.filesSearched === 0 && !missing.length;
        if (r.hits.length > w['max-hits'] || incomplete.length || missing.length || none) {
          problems.push(`${s.id}: ${none ? `no file searched (${w.paths.join(', ') || '.'}: every file there is ignored or hidden)` : `${r.hits.length} hit(s) (budget ${w['max-hits']})`}${incomplete.length ? `, ${incomplete.length} file(s) not searched whole` : ''}${missing.length ? `, ${missing.join(', ')} not found (fix paths:)` : ''}`);
          for (const h of r.hits.slice(0, 50)) annotations.push({ file: h.file, line: h.line, message: `${s.id}: matches ${w.pattern}` });
        } else passed.push(`${s.id}: 0 counted, ${r.allowed.length} allowed`);
      } else {
        const w = EnvWithSchema.parse(s.with ?? {});
        const r = await auditEnv({ cwd, file: w.file, assertions: w.assert, sensitiveKeys: declared });
        const bad = r.findings.filter((f) => !f.passed);
        if (bad.length) {
          problems.push(`${s.id}: ${bad.length} assertion(s) failed`);
          for (const f of bad) annotations.push({ file: f.file, line: f.line || 1, message: `${s.id}: ${f.key} ${f.check}: expected ${f.expected}, measured ${f.measured}` });
        } else passed.push(`${s.id}: ${r.findings.length} assertion(s) true`);
      }
    } catch (e) {
      // Expected failures (bad regex, unreadable dotenv) are UserErrors; anything else is a bug.
      if (!isUserError(e)) throw e;
      problems.push(`${s.id}: ${(e as Error).message}`);
    }
  }
  return {
    id: 'audit',
    title,
    status: problems.length ? 'unmet' : 'met',
    expected: `${steps.length} audit step(s) green`,
    measured: problems.length ? problems.join('; ') : passed.join('; '),
    ...(problems.length ? { how: 'fix the hits (or allow them with a reason: `shipgate: allow(reason)` / an allow glob) and run `shipgate audit grep` locally', annotations } : {}),
  };
}
