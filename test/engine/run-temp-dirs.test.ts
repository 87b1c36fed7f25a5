import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asRunId } from '../../src/core/brand.js';
import { recordedTempRoots } from '../../src/engine/run-temp-dirs.js';
import { createTestStore, sampleRun, T0, type TestStore } from '../support/store-fixtures.js';

describe('recordedTempRoots (where a killed driver left its temp dirs)', () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore('sqlite');
    await t.store.createRun(sampleRun('r-tmp'));
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it("returns the roots this host's drives recorded, never another host's (it may be a shared mount a live driver uses)", async () => {
    const run = asRunId('r-tmp');
    const actor = { id: 'ops@example.com', via: 'asserted-env' as const };
    const entry = (kind: string, tempRoots: unknown) => t.store.appendLedger({ at: T0, run, step: null, kind, actor, data: { tempRoots } });
    await entry('run-started', { host: hostname(), paths: ['/tmp/a', '/dev/shm'] });
    await entry('run-resumed', { host: 'build-07.elsewhere', paths: ['/nfs/home/ops/tmp'] });
    await entry('run-resumed', { host: hostname(), paths: ['/tmp/b'] });
    await entry('run-resumed', ['/legacy/shape']); // not this shape: ignored
    expect((await recordedTempRoots(t.store, run)).sort()).toEqual(['/dev/shm', '/tmp/a', '/tmp/b']);
  });
});
