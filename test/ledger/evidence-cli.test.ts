import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { resolveStateDir } from '../../src/cli/state-dir.js';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/open-store.js';
import { RUN, seedFinishedRun } from '../support/evidence-scenario.js';
import { createTestSchema, postgresAvailable } from '../support/postgres.js';

const pgUp = await postgresAvailable();

interface Captured {
  io: CliIO;
  out: () => string;
  err: () => string;
}

function captureIO(cwd: string, env: Record<string, string> = {}): Captured {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { io: { cwd, env, stdout, stderr, stdin: new PassThrough(), color: false }, out: () => out, err: () => err };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sg-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function seed(stateDir: string) {
  const store = await openStore({ stateDir });
  try {
    return await seedFinishedRun(store, stateDir);
  } finally {
    await store.close();
  }
}

describe('resolveStateDir', () => {
  it('prefers --state, then SHIPGATE_STATE_DIR, then .shipgate/ beside the runbook', () => {
    expect(resolveStateDir({ cwd: '/w', env: { SHIPGATE_STATE_DIR: 'env-state' } }, { state: 'flag', file: 'x/y.yml' })).toBe('/w/flag');
    expect(resolveStateDir({ cwd: '/w', env: { SHIPGATE_STATE_DIR: 'env-state' } }, { file: 'x/y.yml' })).toBe('/w/env-state');
    expect(resolveStateDir({ cwd: '/w', env: {} }, { file: 'x/y.yml' })).toBe('/w/x/.shipgate');
    expect(resolveStateDir({ cwd: '/w', env: {} })).toBe('/w/.shipgate');
    expect(resolveStateDir({ cwd: '/w', env: {} }, { state: '/abs' })).toBe('/abs');
  });
});

describe('shipgate evidence', () => {
  it('verify: prints OK with count and head, exit 0 (state beside ./shipgate.yml by default)', async () => {
    const { entries } = await seed(join(dir, '.shipgate'));
    const c = captureIO(dir);
    expect(await main(['evidence', 'verify'], c.io)).toBe(0);
    expect(c.out()).toBe(`ledger OK: 7 entries, head ${entries[6]!.hash}\n`);
  });

  it('verify: honours -f, SHIPGATE_STATE_DIR and --state', async () => {
    const { entries } = await seed(join(dir, 'app', '.shipgate'));
    const ok = `ledger OK: 7 entries, head ${entries[6]!.hash}\n`;
    let c = captureIO(dir);
    expect(await main(['evidence', 'verify', '-f', 'app/shipgate.yml'], c.io)).toBe(0);
    expect(c.out()).toBe(ok);
    c = captureIO(dir, { SHIPGATE_STATE_DIR: 'app/.shipgate' });
    expect(await main(['evidence', 'verify'], c.io)).toBe(0);
    expect(c.out()).toBe(ok);
    c = captureIO('/', {});
    expect(await main(['evidence', 'verify', '--state', join(dir, 'app', '.shipgate')], c.io)).toBe(0);
    expect(c.out()).toBe(ok);
  });

  it('verify: names the first broken entry, points at its run, exit 1', async () => {
    const stateDir = join(dir, '.shipgate');
    await seed(stateDir);
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(join(stateDir, 'state.db'));
    db.exec('DROP TRIGGER ledger_no_update'); // as someone tampering with the file would
    db.prepare(`UPDATE ledger SET data_json = replace(data_json, 'failed-continued', 'passed') WHERE seq = 5`).run();
    db.close();
    const c = captureIO(dir);
    expect(await main(['evidence', 'verify'], c.io)).toBe(1);
    expect(c.out()).toBe(
      'ledger BROKEN at seq 5: its content no longer matches its hash (the entry was edited)\n' +
        `  → inspect the run around it: shipgate evidence show ${RUN}\n`,
    );
  });

  it('verify: a changed artifact breaks the ledger at the entry that references it; --no-artifacts skips that', async () => {
    const stateDir = join(dir, '.shipgate');
    const { log } = await seed(stateDir);
    rmSync(log.path, { force: true });
    const c = captureIO(dir);
    expect(await main(['evidence', 'verify'], c.io)).toBe(1);
    expect(c.out().split('\n')[0]).toBe(`ledger BROKEN at seq 3: artifact backup.log (sha256 ${log.sha256.slice(0, 12)}…) is missing`);
    const c2 = captureIO(dir);
    expect(await main(['evidence', 'verify', '--no-artifacts'], c2.io)).toBe(0);
    const c3 = captureIO(dir);
    expect(await main(['evidence', 'verify', '--json'], c3.io)).toBe(1);
    expect(JSON.parse(c3.out())).toEqual({
      ok: false,
      seq: 3,
      problem: 'artifact-missing',
      reason: `artifact backup.log (sha256 ${log.sha256.slice(0, 12)}…) is missing`,
    });
  });

  it('verify: no state here is SG_STATE_MISSING, exit 2, and creates nothing', async () => {
    const c = captureIO(dir);
    expect(await main(['evidence', 'verify'], c.io)).toBe(2);
    expect(c.err()).toBe(
      `error SG_STATE_MISSING: no shipgate state at ${join(dir, '.shipgate', 'state.db')}: nothing has run here yet\n` +
        '  → pass --state DIR (or SHIPGATE_STATE_DIR) naming the directory of an earlier run, or start one: shipgate run --env NAME\n',
    );
    expect(existsSync(join(dir, '.shipgate'))).toBe(false);
  });

  it('verify: a corrupt state file is SG_STATE_CORRUPT, exit 2, file untouched', async () => {
    mkdirSync(join(dir, '.shipgate'));
    const file = join(dir, '.shipgate', 'state.db');
    writeFileSync(file, 'this is not a database, it is a shopping list\n'.repeat(10));
    const before = readFileSync(file);
    const c = captureIO(dir);
    expect(await main(['evidence', 'verify'], c.io)).toBe(2);
    expect(c.err().split('\n')[0]).toBe(`error SG_STATE_CORRUPT: state file ${file} is corrupt: not an SQLite database (bad header) (it was left untouched)`);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('show: prints run.md; --json prints the evidence object; unknown run is exit 2', async () => {
    await seed(join(dir, '.shipgate'));
    let c = captureIO(dir);
    expect(await main(['evidence', 'show', RUN], c.io)).toBe(0);
    expect(c.out().split('\n')[0]).toBe(`# Selenite production release — run ${RUN}`);
    expect(c.out()).toContain('| migrate | forward | failed-continued | 1 | 1m30s | alembic: 1 \\| 2 heads |');
    c = captureIO(dir);
    expect(await main(['evidence', 'show', RUN, '--json'], c.io)).toBe(0);
    const ev = JSON.parse(c.out()) as { run: { id: string }; entries: unknown[]; chain: unknown[] };
    expect(ev.run.id).toBe(RUN);
    expect(ev.entries).toHaveLength(5);
    expect(ev.chain).toHaveLength(6);
    c = captureIO(dir);
    expect(await main(['evidence', 'show', 'r-nope'], c.io)).toBe(2);
    expect(c.err()).toBe('error SG_RUN_NOT_FOUND: no run r-nope in the state store\n  → list the runs: shipgate runs\n');
  });

  it('export: writes the bundle, reports it, and verify --bundle checks it', async () => {
    const { entries, log } = await seed(join(dir, '.shipgate'));
    const c = captureIO(dir);
    expect(await main(['evidence', 'export', RUN, '--out', 'evidence'], c.io)).toBe(0);
    expect(c.out()).toBe(
      `exported run ${RUN} to ${join(dir, 'evidence')}: run.md, run.json, ledger.json, 1 artifact\n` +
        `chain OK: 6 entries, head ${entries[6]!.hash}\n`,
    );
    expect(existsSync(join(dir, 'evidence', 'artifacts', `${log.sha256.slice(0, 12)}-backup.log`))).toBe(true);
    const v = captureIO(dir);
    expect(await main(['evidence', 'verify', '--bundle', 'evidence'], v.io)).toBe(0);
    expect(v.out()).toBe(`bundle OK: 6 entries, head ${entries[6]!.hash}\n`);
  });

  it('--help describes every subcommand and flag', async () => {
    const c = captureIO(dir);
    expect(await main(['evidence', 'export', '--help'], c.io)).toBe(0);
    expect(c.out()).toContain("Write a run's evidence to a directory");
    expect(c.out()).toContain('--out <dir>');
    expect(c.out()).toContain('--state <dir>');
    expect(c.out()).toContain('-f, --file <runbook>');
  });

  it.skipIf(!pgUp)('verify against Postgres via SHIPGATE_DATABASE_URL', async () => {
    const schema = createTestSchema();
    try {
      const store = await openStore({ stateDir: join(dir, '.shipgate'), databaseUrl: schema.url });
      const { entries } = await seedFinishedRun(store, join(dir, '.shipgate')).finally(() => store.close());
      const c = captureIO(dir, { SHIPGATE_DATABASE_URL: schema.url });
      expect(await main(['evidence', 'verify'], c.io)).toBe(0);
      expect(c.out()).toBe(`ledger OK: 7 entries, head ${entries[6]!.hash}\n`);
    } finally {
      await schema.drop();
    }
  });

  it('verify: a steps row edited behind the ledger is a mismatch (exit 1, naming the step); export and show refuse', async () => {
    await seed(join(dir, '.shipgate'));
    const db = new Database(join(dir, '.shipgate', 'state.db'));
    try {
      db.prepare("update steps set status = 'passed' where step_id = 'migrate'").run();
    } finally {
      db.close();
    }
    let c = captureIO(dir);
    expect(await main(['evidence', 'verify'], c.io)).toBe(1);
    expect(c.out()).toContain('the state tables disagree with it');
    expect(c.out()).toContain(`run ${RUN} step migrate: the table says passed, the ledger says failed-continued (seq 5)`);
    c = captureIO(dir);
    expect(await main(['evidence', 'verify', '--json'], c.io)).toBe(1);
    expect(JSON.parse(c.out())).toMatchObject({ ok: false, problem: 'status-mismatch', seq: 5 });
    c = captureIO(dir);
    expect(await main(['evidence', 'export', RUN, '--out', 'evidence'], c.io)).toBe(1);
    expect(c.err()).toContain('error SG_EVIDENCE_TABLES_DISAGREE');
    expect(c.err()).toContain('step migrate: the table says passed, the ledger says failed-continued');
    expect(existsSync(join(dir, 'evidence', 'run.md'))).toBe(false);
    c = captureIO(dir);
    expect(await main(['evidence', 'show', RUN], c.io)).toBe(1);
    expect(c.err()).toContain('warning SG_EVIDENCE_TABLES_DISAGREE');
  });

  it('verify --bundle: a missing directory or malformed ledger.json is a user error, exit 2; a bad bundle is exit 1', async () => {
    let c = captureIO(dir);
    expect(await main(['evidence', 'verify', '--bundle', '/nonexistent'], c.io)).toBe(2);
    expect(c.err()).toContain('error SG_EVIDENCE_UNREADABLE: cannot read /nonexistent/ledger.json: no such file');
    expect(c.err()).toContain('→ export it again');
    expect(c.err()).not.toContain('internal error');
    await seed(join(dir, '.shipgate'));
    expect(await main(['evidence', 'export', RUN, '--out', 'evidence'], captureIO(dir).io)).toBe(0);
    const ledgerFile = join(dir, 'evidence', 'ledger.json');
    const good = readFileSync(ledgerFile, 'utf8');
    writeFileSync(ledgerFile, good.slice(0, 100));
    c = captureIO(dir);
    expect(await main(['evidence', 'verify', '--bundle', 'evidence'], c.io)).toBe(2);
    expect(c.err()).toContain(`error SG_EVIDENCE_UNREADABLE: ${ledgerFile} is not valid JSON`);
    writeFileSync(ledgerFile, JSON.stringify({ ...JSON.parse(good), entries: 5 }));
    c = captureIO(dir);
    expect(await main(['evidence', 'verify', '--bundle', 'evidence'], c.io)).toBe(2);
    expect(c.err()).toContain(`error SG_EVIDENCE_UNREADABLE: ${ledgerFile} is malformed`);
    writeFileSync(ledgerFile, JSON.stringify({ ...JSON.parse(good), entries: [] }));
    c = captureIO(dir);
    expect(await main(['evidence', 'verify', '--bundle', 'evidence'], c.io)).toBe(1);
    expect(c.out()).toContain('bundle BROKEN at seq 1: ledger.json has no entries');
  });
});
