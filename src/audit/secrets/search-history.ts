import { spawn } from 'node:child_process';
import { execa } from 'execa';
import { findInBuffer, type Needle } from './find-in-buffer.js';

export interface HistoryExposure {
  readonly what: string;
  readonly kind: 'value' | 'shape';
  /** The commit that introduced the blob (oldest reachable), when looked up. */
  readonly commit?: string;
  readonly file: string;
  readonly line: number;
  readonly blob: string;
}

export type HistoryResult =
  | {
      readonly searched: true;
      readonly found: HistoryExposure[];
      readonly blobs: number;
      readonly commits: number;
      readonly bytes: number;
      /** Blobs the history refers to but the repository does not have (partial clone): not searched. */
      readonly missing: number;
      /** A shallow clone: the commits before its cut-off are not here, so not searched. */
      readonly shallow: boolean;
    }
  | { readonly searched: false; readonly reason: string };

export interface HistoryOptions {
  readonly cwd: string;
  readonly shapes: boolean;
  readonly signal?: AbortSignal;
  /** Hits whose introducing commit is looked up (each costs a `git log --find-object`). Default: 50. */
  readonly attributeLimit?: number;
  readonly allowFiles?: (f: string) => boolean;
}

/**
 * Searches every blob reachable from any ref (all commits, all branches and tags) for secret
 * values and token shapes. Each distinct blob is read once, streamed from one
 * `git cat-file --batch` process fed by `git rev-list --objects --all` — much faster than
 * `git log -p`, which re-diffs every commit. Only hits are then attributed to a commit.
 */
export async function searchHistory(needles: readonly Needle[], opts: HistoryOptions): Promise<HistoryResult> {
  const probe = await execa('git', ['rev-parse', '--git-dir'], { cwd: opts.cwd, reject: false, stdin: 'ignore' });
  if (probe.failed) return { searched: false, reason: `${opts.cwd} is not inside a git repository: history not searched` };
  const list = await execa('git', ['rev-list', '--objects', '--all', '--filter=object:type=blob', '--missing=print'], { cwd: opts.cwd, reject: false, stdin: 'ignore', maxBuffer: 1024 * 1024 * 1024, ...(opts.signal ? { cancelSignal: opts.signal } : {}) });
  if (list.failed) return { searched: false, reason: `git rev-list failed: ${String(list.stderr).split('\n')[0]}` };
  const paths = new Map<string, string>();
  let commits = 0;
  let missing = 0;
  for (const line of String(list.stdout).split('\n')) {
    if (!line) continue;
    if (line.startsWith('?')) {
      missing++;
      continue;
    }
    // With a blob filter, lines without a path are tag objects (commits are not listed).
    const sp = line.indexOf(' ');
    if (sp >= 0 && !paths.has(line.slice(0, sp))) paths.set(line.slice(0, sp), line.slice(sp + 1));
  }
  const counted = await execa('git', ['rev-list', '--all', '--count'], { cwd: opts.cwd, reject: false, stdin: 'ignore' });
  const shallow = String((await execa('git', ['rev-parse', '--is-shallow-repository'], { cwd: opts.cwd, reject: false, stdin: 'ignore' })).stdout).trim() === 'true';
  commits = Number(String(counted.stdout).trim()) || 0;
  const found: HistoryExposure[] = [];
  let bytes = 0;
  await streamBlobs(opts.cwd, [...paths.keys()], opts.signal, (sha, content) => {
    bytes += content.length;
    const file = paths.get(sha) ?? '(unknown path)';
    // An allowed file may hold token-shaped strings; never a real secret's value.
    for (const f of findInBuffer(content, needles, opts.shapes && !opts.allowFiles?.(file))) found.push({ ...f, file, blob: sha });
  });
  const limit = opts.attributeLimit ?? 50;
  const commitOf = new Map<string, string | undefined>();
  for (const f of found) {
    if (commitOf.has(f.blob) || commitOf.size >= limit) continue;
    const r = await execa('git', ['log', '--all', '--reverse', '--format=%H', `--find-object=${f.blob}`], { cwd: opts.cwd, reject: false, stdin: 'ignore' });
    commitOf.set(f.blob, String(r.stdout).split('\n')[0] || undefined);
  }
  return {
    searched: true,
    found: found.map((f) => {
      const c = commitOf.get(f.blob);
      return c ? { ...f, commit: c } : f;
    }),
    blobs: paths.size,
    commits,
    bytes,
    missing,
    shallow,
  };
}

/** Streams `git cat-file --batch` for the given blob ids, calling `onBlob` for each. */
function streamBlobs(cwd: string, ids: readonly string[], signal: AbortSignal | undefined, onBlob: (sha: string, content: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'pipe'], ...(signal ? { signal } : {}) });
    // Headers are parsed from `pending`; a blob's body is copied into a buffer of its exact size
    // as chunks arrive (no repeated concatenation of large blobs).
    let pending: Buffer = Buffer.alloc(0);
    let want: { sha: string; size: number; body: Buffer; got: number } | undefined;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      for (;;) {
        if (!want) {
          const nl = pending.indexOf(10);
          if (nl < 0) return;
          const header = pending.toString('latin1', 0, nl).split(' ');
          pending = pending.subarray(nl + 1);
          if (header[1] === 'missing') continue;
          const size = Number(header[2]);
          want = { sha: header[0]!, size, body: Buffer.allocUnsafe(size + 1), got: 0 };
        }
        const take = Math.min(pending.length, want.size + 1 - want.got);
        pending.copy(want.body, want.got, 0, take);
        want.got += take;
        pending = pending.subarray(take);
        if (want.got < want.size + 1) return;
        onBlob(want.sha, want.body.subarray(0, want.size));
        want = undefined;
      }
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git cat-file --batch exited ${code}: ${stderr.split('\n')[0]}`))));
    child.stdin.on('error', () => {}); // EPIPE when git dies early: reported by 'close'
    child.stdin.end(ids.join('\n') + (ids.length ? '\n' : ''));
  });
}
