import { mkdtempSync, rmSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asRunId, asSha256 } from '../../src/core/brand.js';
import { canonicalJson, sha256Hex } from '../../src/core/canonical-json.js';
import { findArtifactMentions } from '../../src/ledger/artifact-refs.js';
import { GENESIS_HASH, type LedgerEntry } from '../../src/ledger/entry.js';
import { buildEntry, computeEntryHash, prepareEntry } from '../../src/ledger/hash-entry.js';
import { verifyLedger } from '../../src/ledger/verify-ledger.js';
import { FileArtifactStore } from '../../src/store/file-artifact-store.js';
import { sampleDraft } from '../support/store-fixtures.js';

function chain(n: number, data: (i: number) => unknown = (i) => ({ i })): LedgerEntry[] {
  const out: LedgerEntry[] = [];
  let head = { seq: 0, hash: GENESIS_HASH };
  for (let i = 1; i <= n; i++) {
    const e = buildEntry(sampleDraft(asRunId('r-1'), i, data(i)), head);
    out.push(e);
    head = e;
  }
  return out;
}

describe('computeEntryHash', () => {
  it('is sha256(prev ‖ canonical JSON of the entry without its hash), as entry.ts defines', () => {
    const [e] = chain(1);
    const { seq, at, run, step, kind, actor, data, prev } = e!;
    expect(e!.hash).toBe(sha256Hex(GENESIS_HASH + canonicalJson({ seq, at, run, step, kind, actor, data, prev })));
    expect(computeEntryHash(prev, { seq, at, run, step, kind, actor, data, prev })).toBe(e!.hash);
  });
});

describe('prepareEntry (the store\'s fast path)', () => {
  it('hashes exactly what computeEntryHash hashes, for any JSON data, run, step and actor', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.option(fc.string(), { nil: null }),
        fc.option(fc.string(), { nil: null }),
        fc.string(),
        fc.nat(),
        (data, run, step, actorId, seq) => {
          const head = { seq, hash: sha256Hex(String(seq)) };
          const draft = { at: '2026-11-21T00:00:00.000Z', run: run as never, step: step as never, kind: 'k', actor: { id: actorId, via: 'asserted-env' as const }, data };
          const { entry, dataJson } = prepareEntry(draft, head);
          const { seq: s, at, run: r, step: st, kind, actor, data: d, prev } = entry;
          expect(entry.hash).toBe(computeEntryHash(head.hash, { seq: s, at, run: r, step: st, kind, actor, data: d, prev }));
          expect(dataJson).toBe(canonicalJson(d));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('verifyLedger (pure chain rules)', () => {
  it('accepts an empty ledger with the genesis hash as head', async () => {
    expect(await verifyLedger([])).toEqual({ ok: true, count: 0, head: GENESIS_HASH });
  });

  it('verifies a slice from its anchor, and refuses it without one', async () => {
    const all = chain(6);
    expect(await verifyLedger(all.slice(3), { anchor: all[2]! })).toEqual({ ok: true, count: 3, head: all[5]!.hash });
    expect(await verifyLedger(all.slice(3))).toMatchObject({ ok: false, seq: 1, problem: 'missing-entry' });
  });

  it('names an entry given out of order', async () => {
    const all = chain(5);
    const shuffled = [all[0]!, all[1]!, all[3]!, all[2]!, all[4]!];
    expect(await verifyLedger(shuffled)).toMatchObject({ ok: false, seq: 3, problem: 'missing-entry' });
    const dup = [all[0]!, all[1]!, all[1]!, all[2]!];
    expect(await verifyLedger(dup)).toMatchObject({ ok: false, seq: 2, problem: 'out-of-order' });
  });

  it('names an entry whose hash alone was changed, and an entry whose prev was changed', async () => {
    const all = chain(4);
    const badHash = all.map((e) => (e.seq === 2 ? { ...e, hash: asSha256('f'.repeat(64)) } : e));
    expect(await verifyLedger(badHash)).toMatchObject({ ok: false, seq: 2, problem: 'entry-changed' });
    const badActor = all.map((e) => (e.seq === 3 ? { ...e, actor: { id: 'mallory', via: 'system' as const } } : e));
    expect(await verifyLedger(badActor)).toMatchObject({ ok: false, seq: 3, problem: 'entry-changed' });
  });
});

describe('findArtifactMentions', () => {
  it('follows the documented convention and ignores bare sha256 fields', () => {
    const a = 'a'.repeat(64);
    const b = 'b'.repeat(64);
    const c = 'c'.repeat(64);
    const data = {
      logSha256: a,
      result: { artifacts: [{ sha256: b, name: 'shot.png' }], artifact: { sha256: c } },
      backup: { sha256: 'd'.repeat(64), path: '/backups/x.db' },
      notHex: { logSha256: 'xyz' },
    };
    expect(findArtifactMentions(data, 'deploy log')).toEqual([
      { sha256: a, name: 'deploy log' },
      { sha256: b, name: 'shot.png' },
      { sha256: c, name: 'cccccccccccc' },
    ]);
  });
});

describe('verifyLedger with artifacts', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sg-verify-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names the entry whose artifact changed or went missing', async () => {
    const artifacts = new FileArtifactStore({ stateDir: dir });
    const log = await artifacts.put('deploy.log', 'deployed 1.4.0\n');
    const shot = await artifacts.put('ui.png', new Uint8Array([1, 2, 3]));
    const entries = chain(4, (i) => (i === 2 ? { logSha256: log.sha256 } : i === 3 ? { artifacts: [shot] } : { i }));
    // sampleDraft has no step, so the log is called "log".
    const withStep = entries;
    expect(await verifyLedger(withStep, { artifacts })).toMatchObject({ ok: true, count: 4 });

    chmodSync(log.path, 0o644);
    writeFileSync(log.path, 'deployed 1.3.9\n');
    expect(await verifyLedger(withStep, { artifacts })).toEqual({
      ok: false,
      seq: 2,
      problem: 'artifact-changed',
      reason: `artifact log changed (its content no longer hashes to ${log.sha256.slice(0, 12)}…)`,
    });
    rmSync(log.path);
    expect(await verifyLedger(withStep, { artifacts })).toMatchObject({ ok: false, seq: 2, problem: 'artifact-missing' });
    expect(await verifyLedger(withStep, { artifacts, checkArtifactsOf: (e) => e.seq !== 2 })).toMatchObject({ ok: true });
    rmSync(shot.path);
    expect(await verifyLedger(withStep.slice(2), { anchor: withStep[1]!, artifacts })).toEqual({
      ok: false,
      seq: 3,
      problem: 'artifact-missing',
      reason: `artifact ui.png (sha256 ${shot.sha256.slice(0, 12)}…) is missing`,
    });
  });
});
