import { UserError } from '../../core/errors.js';
import type { LoadedRunbook } from '../../runbook/loaded-runbook.js';
import type { DataContext } from '../../data/data-context.js';

/**
 * Builds the data library's context from a loaded runbook. `data.database.url` may be a plain URL
 * or one `${{ env.NAME }}` / `${{ secrets.NAME }}` / `${{ vars.NAME }}` reference (the usual way
 * to keep a password out of the runbook); anything more complex is refused with a hint.
 */
export function dataContextFor(
  loaded: LoadedRunbook,
  opts: {
    env: Readonly<Record<string, string | undefined>>;
    vars?: Readonly<Record<string, string>>;
    secrets?: Readonly<Record<string, string>>;
    signal: AbortSignal;
    clock?: () => Date;
    log?: (line: string) => void;
  },
): DataContext {
  const config = loaded.runbook.data;
  if (!config) {
    throw new UserError('SG_DATA_NOT_CONFIGURED', `${loaded.path} has no data: block`, 'add data: { database: …, storage: […], protect: […] } to the runbook (see docs/data.md)');
  }
  const url = config.database?.url;
  const databaseUrl = url === undefined ? undefined : expandUrl(url, opts);
  return {
    baseDir: loaded.dir,
    config,
    ...(databaseUrl !== undefined ? { databaseUrl } : {}),
    env: opts.env,
    signal: opts.signal,
    clock: opts.clock ?? (() => new Date()),
    log: opts.log ?? (() => {}),
  };
}

function expandUrl(url: string, opts: { env: Readonly<Record<string, string | undefined>>; vars?: Readonly<Record<string, string>>; secrets?: Readonly<Record<string, string>> }): string {
  if (!url.includes('${{')) return url;
  const m = /^\$\{\{\s*(env|secrets|vars)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(url.trim());
  if (!m) throw new UserError('SG_DATA_URL_EXPRESSION', `data.database.url ${url} must be a URL or a single \${{ env.NAME }} reference`, 'write url: ${{ env.DATABASE_URL }}');
  const source = m[1] === 'env' ? opts.env : m[1] === 'secrets' ? (opts.secrets ?? opts.env) : (opts.vars ?? {});
  const value = source[m[2]!];
  if (!value) throw new UserError('SG_DATA_URL_UNSET', `data.database.url refers to ${m[1]}.${m[2]}, which is not set`, `export ${m[2]}=postgres://… (or mysql://…) and run the command again`);
  return value;
}
