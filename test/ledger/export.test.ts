import { chmodSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asRunId } from '../../src/core/brand.js';
import { exportRunEvidence, verifyEvidenceBundle, type LedgerSlice } from '../../src/ledger/export-run-evidence.js';
import { FileArtifactStore } from '../../src/store/file-artifact-store.js';
import { RUN, seedFinishedRun } from '../support/evidence-scenario.js';
import { createTestStore, type TestStore } from '../support/store-fixtures.js';

/** The whole run.md of the seeded run, line by line (hashes are fixed: every input is fixed). */
const EXPECTED_RUN_MD = [
  "# Selenite production release — run r-20261121-0900-k3f9",
  "",
  "| | |",
  "|---|---|",
  "| Runbook | Selenite production release (`/srv/selenite/shipgate.yml`, sha256 `aaaaaaaaaaaa`) |",
  "| Environment | production |",
  "| Release | 1.4.0 |",
  "| Started by | ops@example.com (asserted via SHIPGATE_ACTOR) |",
  "| Status | **succeeded** |",
  "| Started | 2026-11-21T09:00:00.000Z |",
  "| Ended | 2026-11-21T09:04:05.000Z (4m05s) |",
  "",
  "## Steps",
  "",
  "| Step | Section | Status | Attempt | Duration | Summary |",
  "|---|---|---|---|---|---|",
  "| backup | forward | passed | 1 | 2.5s | backup b-1 written |",
  "| migrate | forward | failed-continued | 1 | 1m30s | alembic: 1 \\| 2 heads |",
  "| ui-verification | forward | pending | 1 | 2m33s | approved by admin@example.com |",
  "",
  "## Approvals",
  "",
  "### ui-verification: approved by admin@example.com",
  "",
  "- Actor: admin@example.com (asserted via git's user.email)",
  "- At: 2026-11-21T09:04:00.000Z",
  "- Note: export is slow but works",
  "",
  "| # | Checklist item | Result | Note |",
  "|---|---|---|---|",
  "| 1 | Login works | pass |  |",
  "| 2 | Export works | pass | took 40s |",
  "",
  "## Evidence",
  "",
  "| Seq | At | Step | Kind | Detail | Hash |",
  "|---|---|---|---|---|---|",
  "| 2 | 2026-11-21T09:00:00.000Z | — | run-started | {\"environment\":\"production\",\"release\":\"1.4.0\"} | `c20fd61815f1` |",
  "| 3 | 2026-11-21T09:00:02.000Z | backup | step-finished | passed | `de149388196f` |",
  "| 5 | 2026-11-21T09:01:32.000Z | migrate | step-finished | failed-continued | `23f40bce3581` |",
  "| 6 | 2026-11-21T09:04:00.000Z | ui-verification | approval-recorded | approved | `e6afaa2b3776` |",
  "| 7 | 2026-11-21T09:04:05.000Z | — | run-finished | succeeded | `51dac1280212` |",
  "",
  "Artifacts:",
  "",
  "- backup.log: sha256 `7c21da9074fc4543c98fb36aea3b5d9adc8b522725480fe3c821e19aaca971fa`, [artifacts/7c21da9074fc-backup.log](artifacts/7c21da9074fc-backup.log)",
  "",
  "## Verification",
  "",
  "- Ledger head for this run: seq 7, hash `51dac1280212a7d7ebd0b2d31e74ca33ae3fa827b0843536bf01ecfc217b8fbd`",
  "- Chain anchor (the entry before it): seq 1, hash `5d83b5ea4c0b258eb9e5a9d8ba83a118b6ec4138d54e59f2ce6509b7003d82e3`",
  "- Chain slice in ledger.json: seq 2–7 (1 entry of other runs kept in between so the chain has no gap)",
  "- Whole ledger at export: seq 7, hash `51dac1280212a7d7ebd0b2d31e74ca33ae3fa827b0843536bf01ecfc217b8fbd`",
  "",
  "Verify the exported chain and artifacts with `shipgate evidence verify --bundle <this directory>`; verify the live ledger with `shipgate evidence verify` where the state is kept.",
];

describe('exportRunEvidence', () => {
  let t: TestStore;
  let out: string;
  beforeEach(async () => {
    t = await createTestStore('sqlite');
    out = join(t.stateDir, 'export');
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('writes run.md, run.json, ledger.json and the artifacts, and the bundle verifies', async () => {
    const { log, entries } = await seedFinishedRun(t.store, t.stateDir);
    const artifacts = new FileArtifactStore({ stateDir: t.stateDir });
    const result = await exportRunEvidence({ store: t.store, artifacts, runId: RUN, outDir: out });
    const artifactFile = `artifacts/${log.sha256.slice(0, 12)}-backup.log`;
    expect(result.files).toEqual(['ledger.json', 'run.json', 'run.md', artifactFile]);
    expect(result.missingArtifacts).toEqual([]);

    expect(readFileSync(join(out, 'run.md'), 'utf8').split('\n')).toEqual([...EXPECTED_RUN_MD, '']);

    const slice = JSON.parse(readFileSync(join(out, 'ledger.json'), 'utf8')) as LedgerSlice;
    expect(slice.anchor).toEqual(entries[0]);
    expect(slice.entries).toEqual(entries.slice(1)); // seq 2..7, incl. the other run's seq 4
    expect(slice.runSeqs).toEqual([2, 3, 5, 6, 7]);
    expect(slice.ledgerHead).toEqual({ seq: 7, hash: entries[6]!.hash });

    const runJson = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as Record<string, unknown[]>;
    expect(runJson.steps).toHaveLength(3);
    expect(runJson.approvals).toHaveLength(1);
    expect(runJson.artifacts).toEqual([{ sha256: log.sha256, name: 'backup.log', file: artifactFile }]);
    expect(readFileSync(join(out, artifactFile), 'utf8')).toBe('backup written to /backups/selenite-20261121.db\n');

    expect(await verifyEvidenceBundle(out)).toEqual({ ok: true, count: 6, head: entries[6]!.hash });
  });

  it('a bundle whose copied artifact or ledger.json was edited no longer verifies', async () => {
    const { log } = await seedFinishedRun(t.store, t.stateDir);
    await exportRunEvidence({ store: t.store, artifacts: new FileArtifactStore({ stateDir: t.stateDir }), runId: RUN, outDir: out });
    const copied = join(out, `artifacts/${log.sha256.slice(0, 12)}-backup.log`);
    chmodSync(copied, 0o644);
    writeFileSync(copied, 'nothing was written\n');
    expect(await verifyEvidenceBundle(out)).toMatchObject({ ok: false, seq: 3, problem: 'artifact-changed' });

    await exportRunEvidence({ store: t.store, artifacts: new FileArtifactStore({ stateDir: t.stateDir }), runId: RUN, outDir: out });
    const ledgerFile = join(out, 'ledger.json');
    writeFileSync(ledgerFile, readFileSync(ledgerFile, 'utf8').replace('"failed-continued"', '"passed"'));
    expect(await verifyEvidenceBundle(out)).toMatchObject({ ok: false, seq: 5, problem: 'entry-changed' });
  });

  it('exports a run with a missing artifact, says so, and lists it as missing', async () => {
    const { log } = await seedFinishedRun(t.store, t.stateDir);
    const artifacts = new FileArtifactStore({ stateDir: t.stateDir });
    chmodSync(log.path, 0o644);
    (await import('node:fs')).rmSync(log.path);
    const result = await exportRunEvidence({ store: t.store, artifacts, runId: RUN, outDir: out });
    expect(result.missingArtifacts).toEqual(['backup.log']);
    expect(readdirSync(join(out, 'artifacts'))).toEqual([]);
    expect(readFileSync(join(out, 'run.md'), 'utf8')).toContain(`- backup.log: sha256 \`${log.sha256}\`, MISSING from the artifact store`);
  });

  it('refuses an unknown run with SG_RUN_NOT_FOUND', async () => {
    await expect(
      exportRunEvidence({ store: t.store, artifacts: new FileArtifactStore({ stateDir: t.stateDir }), runId: asRunId('r-nope'), outDir: out }),
    ).rejects.toMatchObject({ code: 'SG_RUN_NOT_FOUND', message: 'no run r-nope in the state store' });
  });

  describe('a bundle must be complete and agree with its ledger', () => {
    type Slice = { entries: Array<{ seq: number; hash: string; kind: string }>; ledgerHead: { seq: number; hash: string } | null; runSeqs: number[] };
    const edit = <T,>(file: string, f: (x: T) => T) => writeFileSync(join(out, file), `${JSON.stringify(f(JSON.parse(readFileSync(join(out, file), 'utf8')) as T), null, 2)}\n`);
    beforeEach(async () => {
      await seedFinishedRun(t.store, t.stateDir);
      await exportRunEvidence({ store: t.store, artifacts: new FileArtifactStore({ stateDir: t.stateDir }), runId: RUN, outDir: out });
    });

    it('rejects a chain cut short before the step-finished that failed, even with the head rewritten', async () => {
      const cut = (s: Slice) => ({ ...s, entries: s.entries.filter((e) => e.seq < 5), runSeqs: s.runSeqs.filter((n) => n < 5) });
      edit<Slice>('ledger.json', cut);
      expect(await verifyEvidenceBundle(out)).toMatchObject({ ok: false, seq: 4, problem: 'head-mismatch' });
      edit<Slice>('ledger.json', (s) => ({ ...s, ledgerHead: { seq: s.entries.at(-1)!.seq, hash: s.entries.at(-1)!.hash } }));
      expect(await verifyEvidenceBundle(out)).toMatchObject({ ok: false, problem: 'run-incomplete', reason: expect.stringContaining('no final run-finished or run-waiting entry') });
    });

    it('rejects an empty entries list', async () => {
      edit<Slice>('ledger.json', (s) => ({ ...s, entries: [], runSeqs: [] }));
      expect(await verifyEvidenceBundle(out)).toMatchObject({ ok: false, problem: 'run-incomplete', reason: expect.stringContaining('no entries') });
    });

    it('rejects run.json whose statuses differ from the ledger, and an edited run.md', async () => {
      const md = readFileSync(join(out, 'run.md'), 'utf8');
      type RunJson = { run: { status: string }; steps: Array<{ stepId: string; status: string }> };
      edit<RunJson>('run.json', (r) => ({ ...r, steps: r.steps.map((s) => (s.stepId === 'migrate' ? { ...s, status: 'passed' } : s)) }));
      expect(await verifyEvidenceBundle(out)).toMatchObject({ ok: false, seq: 5, problem: 'status-mismatch', reason: expect.stringContaining('step migrate: the table says passed, the ledger says failed-continued') });
      edit<RunJson>('run.json', (r) => ({ ...r, steps: r.steps.map((s) => (s.stepId === 'migrate' ? { ...s, status: 'failed-continued' } : s)) }));
      expect(await verifyEvidenceBundle(out)).toMatchObject({ ok: true });
      writeFileSync(join(out, 'run.md'), md.replace('| migrate | forward | failed-continued |', '| migrate | forward | passed |'));
      expect(await verifyEvidenceBundle(out)).toMatchObject({ ok: false, problem: 'report-changed' });
    });
  });
});
