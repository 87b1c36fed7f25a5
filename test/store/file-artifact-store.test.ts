import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asSha256 } from '../../src/core/brand.js';
import { FileArtifactStore } from '../../src/store/file-artifact-store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sg-art-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sha = (b: string | Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('FileArtifactStore', () => {
  it('stores text content-addressed under artifacts/<sha[0..2]>/<sha>, read-only', async () => {
    const store = new FileArtifactStore({ stateDir: dir, clock: () => new Date('2026-11-21T09:00:00Z') });
    const ref = await store.put('deploy.log', 'line 1\nline 2\n');
    const digest = sha('line 1\nline 2\n');
    expect(ref).toEqual({
      sha256: digest,
      name: 'deploy.log',
      size: 14,
      path: join(dir, 'artifacts', digest.slice(0, 2), digest),
      mediaType: 'text/plain',
    });
    expect(readFileSync(ref.path, 'utf8')).toBe('line 1\nline 2\n');
    expect(statSync(ref.path).mode & 0o777).toBe(0o444);
    expect(await store.locate(ref.sha256)).toBe(ref.path);
    expect(await store.locate(asSha256('0'.repeat(64)))).toBeUndefined();
    expect(await store.locate(asSha256('../../etc/passwd'))).toBeUndefined();
  });

  it('streams a large Readable without buffering it whole, and hashes it right', async () => {
    const store = new FileArtifactStore({ stateDir: dir });
    const chunk = Buffer.alloc(64 * 1024, 7);
    const chunks = 160; // 10 MiB
    const whole = createHash('sha256');
    for (let i = 0; i < chunks; i++) whole.update(chunk);
    const ref = await store.put('dump.bin', Readable.from((function* () {
      for (let i = 0; i < chunks; i++) yield chunk;
    })()), 'application/octet-stream');
    expect(ref.sha256).toBe(whole.digest('hex'));
    expect(ref.size).toBe(chunk.length * chunks);
    expect(statSync(ref.path).size).toBe(ref.size);
    expect(readdirSync(join(dir, 'artifacts', 'tmp'))).toEqual([]); // no temp file left behind
  });

  it('stores equal content once, remembers every name, and describes by the latest', async () => {
    const store = new FileArtifactStore({ stateDir: dir });
    const a = await store.put('first.txt', new TextEncoder().encode('same'));
    const b = await store.put('second.json', 'same');
    expect(b.sha256).toBe(a.sha256);
    expect(b.mediaType).toBe('application/json');
    expect(readdirSync(join(dir, 'artifacts', a.sha256.slice(0, 2)))).toEqual([a.sha256]);
    expect((await store.readIndex()).map((l) => l.name)).toEqual(['first.txt', 'second.json']);
    expect(await store.describe(a.sha256)).toMatchObject({ name: 'second.json', size: 4, path: a.path });
  });

  it('leaves no temp file when the stream fails, and stores nothing', async () => {
    const store = new FileArtifactStore({ stateDir: dir });
    const failing = new Readable({
      read() {
        this.push('partial');
        this.destroy(new Error('source broke'));
      },
    });
    await expect(store.put('broken.log', failing)).rejects.toThrow('source broke');
    expect(readdirSync(join(dir, 'artifacts', 'tmp'))).toEqual([]);
    expect(await store.readIndex()).toEqual([]);
  });
});
