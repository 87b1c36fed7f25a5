import { createHash } from 'node:crypto';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

/** sha256 over a whole tree: every path, type, mode, content and link text. Proves "byte-identical". */
export async function hashTree(root: string): Promise<string> {
  const h = createHash('sha256');
  async function walk(dir: string, rel: string): Promise<void> {
    const items = (await readdir(dir)).sort();
    for (const name of items) {
      const abs = join(dir, name);
      const st = await lstat(abs);
      h.update(`${rel}/${name}\0${st.mode}\0`);
      if (st.isSymbolicLink()) h.update(`link:${await readlink(abs)}`);
      else if (st.isDirectory()) await walk(abs, `${rel}/${name}`);
      else h.update(await readFile(abs));
    }
  }
  await walk(root, '');
  return h.digest('hex');
}
