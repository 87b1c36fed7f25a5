import { execa, type ResultPromise } from 'execa';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Starts a real Node process that opens a SQLite file with better-sqlite3 and runs `script`
 * (with `db` in scope), printing READY when it holds what it needs. Resolves once READY is seen.
 */
export async function startSqliteProcess(dbPath: string, script: string): Promise<{ child: ResultPromise; stop: () => Promise<void> }> {
  const code = `import Database from 'better-sqlite3'; const db = new Database(${JSON.stringify(dbPath)}, { timeout: 0 }); ${script}`;
  const child = execa('node', ['--input-type=module', '-e', code], { cwd: ROOT, reject: false, stdout: 'pipe', stderr: 'pipe' });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('child did not print READY in 10s')), 10_000);
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('READY')) {
        clearTimeout(t);
        resolve();
      }
    });
    void child.then((r) => reject(new Error(`child exited early: ${r.stderr}`)));
  });
  return {
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await child;
    },
  };
}

/** Holds an exclusive lock (BEGIN EXCLUSIVE) until killed. */
export const HOLD_EXCLUSIVE_LOCK = `db.pragma('journal_mode = DELETE'); db.exec('BEGIN EXCLUSIVE'); console.log('READY'); setInterval(() => {}, 1000);`;

/** Inserts rows continuously, each in its own transaction, until killed. */
export const WRITE_CONTINUOUSLY = `db.pragma('journal_mode = WAL'); db.pragma('busy_timeout = 5000'); const ins = db.prepare('insert into jobs (name) values (?)'); let i = 0; console.log('READY'); setInterval(() => { for (let k = 0; k < 20; k++) ins.run('w-' + i++); }, 1);`;
