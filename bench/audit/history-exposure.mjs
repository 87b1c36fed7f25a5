// Secret exposure search over a whole git history (all refs, every blob once).
// Usage: node bench/audit/history-exposure.mjs [GIT_DIR_OR_WORKTREE] [RUNS]
// Default repository: /work/wt/corpus-audit-history (a bare clone of a ≥ 10,000-commit project).
// Looks for one random 32-byte value (absent: the worst case, every blob is read) plus token shapes.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

const repo = process.argv[2] ?? '/work/wt/corpus-audit-history';
const runs = Number(process.argv[3] ?? 3);
const { searchHistory } = await import(join(import.meta.dirname, '..', '..', 'dist', 'audit', 'secrets', 'search-history.js'));
const needle = { name: 'BENCH_SECRET', bytes: Buffer.from(randomBytes(32).toString('base64')) };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const shapes of [false, true]) {
  const ms = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    last = await searchHistory([needle], { cwd: repo, shapes, attributeLimit: 0 });
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  if (!last.searched) throw new Error(last.reason);
  const valueHits = last.found.filter((f) => f.kind === 'value').length;
  console.log(`shapes=${shapes}  commits=${last.commits} blobs=${last.blobs} missing=${last.missing} bytes=${(last.bytes / 1e6).toFixed(0)}MB  value hits=${valueHits} shape hits=${last.found.length - valueHits}  median ${(median(ms) / 1000).toFixed(1)}s of ${runs} (${ms.map((x) => (x / 1000).toFixed(1)).join(', ')})`);
}
