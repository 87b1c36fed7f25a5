/**
 * What `${{ … }}` expressions can read. Built by the engine when a step starts.
 *
 *   vars.X                 environment vars (runbook `environments.NAME.vars`)
 *   env.X                  the step's environment variables
 *   secrets.X              secret values (redacted wherever written; prefer passing them as env)
 *   steps.ID.outputs.KEY   outputs of a finished step; steps.ID.status / steps.ID.conclusion
 *   run.id                 the run id
 *   release.version        `--release` (empty string when not given)
 *   environment.name       `--env`
 */
export interface ExpressionContext {
  readonly vars: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly secrets: Readonly<Record<string, string>>;
  readonly steps: Readonly<Record<string, { readonly outputs: Readonly<Record<string, string>>; readonly status: string }>>;
  readonly run: { readonly id: string };
  readonly release: { readonly version: string };
  readonly environment: { readonly name: string };
}

/** The value of an expression: JSON-like. Objects appear only as intermediate values. */
export type ExprValue = string | number | boolean | null | readonly ExprValue[] | { readonly [k: string]: ExprValue };

/** How substituted values are quoted: in `run:` commands (per shell), or not at all elsewhere. */
export type QuoteMode = 'posix' | 'pwsh' | 'none';
