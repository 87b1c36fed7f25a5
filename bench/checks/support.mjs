import { fork } from 'node:child_process';
import { execSync } from 'node:child_process';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const DIST = join(HERE, '..', '..', 'dist');

/** Starts delay-server.mjs in a child process; resolves to { port, stop }. */
export function startServer(args) {
  const child = fork(join(HERE, 'delay-server.mjs'), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', ({ port }) =>
      resolve({ port, stop: () => new Promise((r) => (child.once('exit', r), child.send('stop'))) }),
    );
  });
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

export function machine() {
  let mem = '';
  try {
    mem = execSync('free -h', { encoding: 'utf8' }).split('\n')[1].replace(/\s+/g, ' ');
  } catch {}
  return `nproc ${os.availableParallelism?.() ?? os.cpus().length}, ${os.cpus()[0]?.model ?? '?'}, free -h: ${mem}, node ${process.version}`;
}
