import { join } from 'node:path';
import type { ProcessSpec } from '../../src/engine/process/run-process.js';

/** A bash step in `dir` that records nothing and ignores its output, with `over` on top. */
export function processSpec(dir: string, over: Partial<ProcessSpec> = {}): ProcessSpec {
  return {
    shell: 'bash',
    script: 'true',
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    timeoutMs: 30_000,
    signal: new AbortController().signal,
    scriptFile: join(dir, 'step.sh'),
    recordStart: () => {},
    onSpawn: () => {},
    onLine: () => {},
    ...over,
  };
}
