import { asArray, asRecord, asString, type Rule } from './rule.js';

const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
// Vars and secrets are passed to steps as environment variables: they need portable names.
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** bad-name (environment, var and secret names), duplicate-secret, and database settings that cannot work. */
export const namesRule: Rule = {
  name: 'names',
  check(ctx) {
    for (const [envName, env] of Object.entries(asRecord(ctx.data.environments) ?? {})) {
      if (!ENV_NAME.test(envName)) {
        ctx.report({ code: 'bad-name', path: ['environments', envName], at: 'key', message: `environment name "${envName}" must use letters, digits, ".", "-" and "_" (it is typed as --env ${envName})` });
      }
      for (const name of Object.keys(asRecord(asRecord(env)?.vars) ?? {})) {
        if (!VAR_NAME.test(name)) ctx.report({ code: 'bad-name', path: ['environments', envName, 'vars', name], at: 'key', message: `var name "${name}" is not a valid environment variable name (letters, digits and "_", not starting with a digit)` });
      }
      const seen = new Set<string>();
      asArray(asRecord(env)?.secrets).forEach((s, i) => {
        const name = asString(s) ?? asString(asRecord(s)?.name);
        const path = typeof s === 'string' ? ['environments', envName, 'secrets', i] : ['environments', envName, 'secrets', i, 'name'];
        if (name === undefined) return;
        if (typeof s === 'string' && !VAR_NAME.test(name)) ctx.report({ code: 'bad-name', path, message: `secret name "${name}" is not a valid environment variable name (letters, digits and "_", not starting with a digit)` });
        if (seen.has(name)) ctx.report({ code: 'duplicate-secret', path, message: `secret "${name}" is listed twice in environment "${envName}"` });
        seen.add(name);
      });
    }
    const db = asRecord(asRecord(ctx.data.data)?.database);
    if (db) {
      if (db.kind === 'sqlite' && db.path === undefined) ctx.report({ code: 'missing-key', path: ['data', 'database', 'kind'], message: 'data.database: kind sqlite needs a path (the database file, relative to the runbook)' });
      if ((db.kind === 'postgres' || db.kind === 'mysql') && db.url === undefined) ctx.report({ code: 'missing-key', path: ['data', 'database', 'kind'], message: `data.database: kind ${String(db.kind)} needs a url, e.g. \${{ env.DATABASE_URL }}` });
    }
  },
};
