/**
 * The thin IO layer: find migration files on disk and read their bytes. Everything after this
 * is pure (analyze-migration.ts).
 */
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_MAX_BYTES, type MigrationSource } from './analyze-migration.js';
import { isMissingPath, pathError, showPath } from './read-errors.js';
import type { Dialect, MigrationTool } from './types.js';

export interface LoadSourcesOptions {
  /** Absolute base directory; relative paths are resolved against it and reported relative to it. */
  readonly cwd: string;
  readonly tool?: MigrationTool;
  readonly dialect?: Dialect;
  /** Files or folders. A folder is read the way `tool` lays it out (inferred when absent). */
  readonly paths: readonly string[];
  /** Only files whose path (relative to `cwd`) is in this set. */
  readonly only?: ReadonlySet<string>;
  /** Default: 16 MiB. Larger files are not read. */
  readonly maxBytes?: number;
  /** Where `paths` came from, for error messages (e.g. "migrations.dir in shipgate.yml"). */
  readonly origin?: string;
}

/** A migration file found on disk (before reading). */
export interface MigrationFile {
  readonly id: string;
  /** Path relative to cwd (forward slashes). */
  readonly file: string;
  readonly tool: MigrationTool;
}

/**
 * List migration files in apply order: Prisma folders and .sql files by name, Alembic by file
 * name (re-ordered by chain later). A path that is missing or cannot be read is a
 * {@link UserError} naming it (SG_MIGRATIONS_PATH_MISSING, SG_MIGRATIONS_PATH_UNREADABLE).
 */
export async function findMigrationFiles(opts: LoadSourcesOptions): Promise<MigrationFile[]> {
  const out: MigrationFile[] = [];
  const io = <T>(abs: string, f: () => Promise<T>): Promise<T> => guarded(abs, opts, f);
  for (const p of opts.paths) {
    const abs = path.resolve(opts.cwd, p);
    const st = await io(abs, () => stat(abs));
    if (st.isFile()) {
      out.push(fileEntry(opts.cwd, abs, opts.tool ?? toolOfFile(abs)));
      continue;
    }
    const tool = opts.tool ?? (await io(abs, () => inferTool(abs)));
    const names = (await io(abs, () => readdir(abs, { withFileTypes: true }))).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of names) {
      const full = path.join(abs, d.name);
      if (tool === 'prisma' && d.isDirectory()) {
        const sql = path.join(full, 'migration.sql');
        if (await io(sql, () => exists(sql))) out.push({ id: d.name, file: rel(opts.cwd, sql), tool });
      } else if (tool === 'alembic' && d.isFile() && d.name.endsWith('.py') && d.name !== '__init__.py') {
        out.push(fileEntry(opts.cwd, full, tool));
      } else if (tool === 'sql' && d.isFile() && d.name.endsWith('.sql')) {
        out.push(fileEntry(opts.cwd, full, tool));
      }
    }
  }
  return opts.only ? out.filter((f) => opts.only!.has(f.file)) : out;
}

/** Read the files (up to `maxBytes` each; larger ones are passed on unread with their size). */
export async function loadMigrationSources(opts: LoadSourcesOptions): Promise<MigrationSource[]> {
  const files = await findMigrationFiles(opts);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const dialect = opts.dialect ?? 'postgres';
  const out: MigrationSource[] = [];
  for (const f of files) {
    const abs = path.resolve(opts.cwd, f.file);
    const { size } = await guarded(abs, opts, () => stat(abs));
    // Do not read what will not be parsed: a 100 MB file costs one stat, not 100 MB of memory.
    const content = size > maxBytes ? null : await guarded(abs, opts, () => readBytes(abs, size));
    out.push({ id: f.id, file: f.file, tool: f.tool, dialect, content, size });
  }
  return out;
}

async function readBytes(file: string, size: number): Promise<Uint8Array> {
  const fh = await open(file, 'r');
  try {
    const buf = new Uint8Array(size);
    let off = 0;
    while (off < size) {
      const { bytesRead } = await fh.read(buf, off, size - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return off === size ? buf : buf.subarray(0, off);
  } finally {
    await fh.close();
  }
}

function toolOfFile(file: string): MigrationTool {
  if (file.endsWith('.py')) return 'alembic';
  if (path.basename(file) === 'migration.sql') return 'prisma';
  return 'sql';
}

/** An fs call on a migration path; its failure becomes a UserError naming the path. */
async function guarded<T>(abs: string, opts: LoadSourcesOptions, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    // Node's fs errors name the path that failed (a file inside the folder, maybe).
    const failed = typeof (e as NodeJS.ErrnoException | undefined)?.path === 'string' ? path.resolve((e as NodeJS.ErrnoException).path!) : abs;
    // A path the user gave (or migrations.dir) carries its origin; a file found inside it does not.
    const given = opts.paths.some((p) => path.resolve(opts.cwd, p) === failed);
    throw pathError(e, failed, opts.cwd, given ? opts.origin : undefined);
  }
}

async function inferTool(dir: string): Promise<MigrationTool> {
  const entries = await readdir(dir, { withFileTypes: true });
  if (entries.some((e) => e.isFile() && e.name.endsWith('.py'))) return 'alembic';
  for (const e of entries) if (e.isDirectory() && (await exists(path.join(dir, e.name, 'migration.sql')))) return 'prisma';
  return 'sql';
}

function fileEntry(cwd: string, abs: string, tool: MigrationTool): MigrationFile {
  const base = path.basename(abs);
  const id = tool === 'prisma' && base === 'migration.sql' ? path.basename(path.dirname(abs)) : base.replace(/\.(sql|py)$/, '');
  return { id, file: rel(cwd, abs), tool };
}

function rel(cwd: string, abs: string): string {
  return showPath(cwd, abs);
}

/** False only when the path is not there: an unreadable one is an error, not a skipped migration. */
async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch (e) {
    if (isMissingPath(e)) return false;
    throw e;
  }
}
