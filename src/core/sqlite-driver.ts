import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type { Database };

/**
 * Opens a SQLite database with better-sqlite3, telling it where its native addon is.
 *
 * Why not plain `new Database()`: the runbook commands' bundle carries better-sqlite3's
 * JavaScript, so that V8's code cache covers it (loading its dozen files took ~5.5 ms of every
 * `run`); from inside the bundle, better-sqlite3's default lookup (the `bindings` package, which
 * searches from the calling file's path) would look beside the bundle and not find the addon.
 * Naming the file also skips that search (~1.4 ms).
 */
export function openDatabase(file: string, options: Database.Options = {}): Database.Database {
  const Driver = (driver ??= pickDriver(bundledVersion(), load(), Database));
  // The types say string; better-sqlite3 takes a loaded addon object too (lib/database.js).
  return new Driver(file, { ...options, nativeBinding: nativeBinding() as string });
}

/** Set by scripts/bundle-cli.mjs in the CommonJS bundle: the better-sqlite3 version it carries. */
declare const __SHIPGATE_BUNDLED_BETTER_SQLITE3__: string | undefined;
const bundledVersion = () => (typeof __SHIPGATE_BUNDLED_BETTER_SQLITE3__ === 'string' ? __SHIPGATE_BUNDLED_BETTER_SQLITE3__ : undefined);

let driver: typeof Database | undefined;

/**
 * The Database class to use: this module's own import, unless it is a copy carried by the bundle
 * (`bundled` is its version) and the package installed beside it is another version. Then the
 * installed package's own: the JavaScript calls the addon with positional arguments, so it must
 * come from the same release as the addon, which is always the installed one.
 */
export function pickDriver(bundled: string | undefined, load: NodeJS.Require, own: typeof Database): typeof Database {
  if (bundled === undefined) return own;
  const installed = (load('better-sqlite3/package.json') as { version: string }).version;
  return installed === bundled ? own : (load('better-sqlite3') as typeof Database);
}

let addon: string | object | undefined;

function nativeBinding(): string | object {
  return (addon ??= findNativeBinding(load()));
}

let loader: NodeJS.Require | undefined;
/** Not named `require`: a bundler would try to resolve `require.resolve` calls at build time. */
const load = (): NodeJS.Require => (loader ??= createRequire(import.meta.url));

/**
 * The addon's file where npm builds or installs it; otherwise whatever `bindings` finds when told
 * where the package is (a debug build, another layout), as better-sqlite3 itself would have.
 */
export function findNativeBinding(load: NodeJS.Require): string | object {
  try {
    return load.resolve('better-sqlite3/build/Release/better_sqlite3.node');
  } catch {
    const pkg = load.resolve('better-sqlite3/package.json');
    const bindings = createRequire(pkg)('bindings') as (opts: { bindings: string; module_root: string }) => object;
    return bindings({ bindings: 'better_sqlite3.node', module_root: dirname(pkg) });
  }
}
