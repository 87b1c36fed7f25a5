import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { openArtifactStore, type OpenedArtifactStore } from '../../src/store/open-artifact-store.js';
import { openStore } from '../../src/store/open-store.js';
import { RUN, seedFinishedRun } from '../support/evidence-scenario.js';
import { adminQuery, createTestSchema, postgresAvailable, type TestSchema } from '../support/postgres.js';

const pgUp = await postgresAvailable();

describe.skipIf(!pgUp)('SharedArtifactStore (team mode, Postgres)', () => {
  let schema: TestSchema;
  let machineA: string;
  let machineB: string;
  const opened: Array<{ close(): Promise<void> }> = [];
  beforeEach(() => {
    schema = createTestSchema();
    machineA = mkdtempSync(join(tmpdir(), 'sg-machine-a-'));
    machineB = mkdtempSync(join(tmpdir(), 'sg-machine-b-'));
  });
  afterEach(async () => {
    for (const o of opened.splice(0).reverse()) await o.close();
    await schema.drop();
    rmSync(machineA, { recursive: true, force: true });
    rmSync(machineB, { recursive: true, force: true });
  });
  const open = async (stateDir: string): Promise<OpenedArtifactStore> => {
    const s = await openArtifactStore({ stateDir, databaseUrl: schema.url });
    opened.push(s);
    return s;
  };

  it('an artifact put on one machine is found, byte for byte, on another', async () => {
    const a = await open(machineA);
    const b = await open(machineB);
    const chunk = Buffer.alloc(700 * 1024, 3); // 5 chunks of 700 KiB: several 1 MiB rows
    const whole = createHash('sha256');
    for (let i = 0; i < 5; i++) whole.update(chunk);
    const ref = await a.put('dump.bin', Readable.from(Array.from({ length: 5 }, () => chunk)));
    expect(ref.sha256).toBe(whole.digest('hex'));
    const rows = await adminQuery('SELECT name, size, chunks FROM artifact_blobs', [], schema.schema);
    expect(rows.rows).toEqual([{ name: 'dump.bin', size: String(ref.size), chunks: expect.any(Number) }]);
    expect(rows.rows[0].chunks).toBeGreaterThan(1);

    const path = await b.locate(ref.sha256);
    expect(path).toBe(join(machineB, 'artifacts', ref.sha256.slice(0, 2), ref.sha256));
    expect(createHash('sha256').update(readFileSync(path!)).digest('hex')).toBe(ref.sha256);
  });

  it('stores equal content once, even when both machines put it', async () => {
    const [a, b] = await Promise.all([open(machineA), open(machineB)]);
    await Promise.all([a.put('x.log', 'same bytes\n'), b.put('y.log', 'same bytes\n')]);
    expect((await adminQuery('SELECT count(*)::int AS n FROM artifact_blobs', [], schema.schema)).rows).toEqual([{ n: 1 }]);
  });

  it('does not hand out content that no longer hashes to its digest', async () => {
    const a = await open(machineA);
    const b = await open(machineB);
    const ref = await a.put('x.log', 'original\n');
    await adminQuery('UPDATE artifact_chunks SET bytes = $1', [Buffer.from('forged!!!\n')], schema.schema);
    expect(await b.locate(ref.sha256)).toBeUndefined();
  });

  it('evidence export on another machine includes artifacts written on the first', async () => {
    const storeA = await openStore({ stateDir: machineA, databaseUrl: schema.url });
    opened.push(storeA);
    const { log } = await seedFinishedRun(storeA, machineA, await open(machineA));
    let out = '';
    const stdout = new PassThrough().on('data', (d: Buffer) => (out += d.toString()));
    const io = { cwd: machineB, env: { SHIPGATE_DATABASE_URL: schema.url, SHIPGATE_STATE_DIR: machineB }, stdout, stderr: new PassThrough(), stdin: new PassThrough(), color: false };
    expect(await main(['evidence', 'export', RUN, '--out', 'ev'], io)).toBe(0);
    expect(out).toContain(': run.md, run.json, ledger.json, 1 artifact\n');
    expect(readFileSync(join(machineB, 'ev', 'artifacts', `${log.sha256.slice(0, 12)}-backup.log`), 'utf8')).toBe(
      'backup written to /backups/selenite-20261121.db\n',
    );
  });
});
