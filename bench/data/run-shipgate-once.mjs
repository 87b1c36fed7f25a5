// One shipgate backup + verify, from the BUILT library (dist/), in its own process so that
// /usr/bin/time measures its peak RSS. Usage: node run-shipgate-once.mjs <projectDir> <dataJson>
import { createBackup } from '../../dist/data/create-backup.js';
import { verifyBackup } from '../../dist/data/verify-backup.js';
import { findBackup, backupsRoot } from '../../dist/data/layout.js';
import { DataSchema } from '../../dist/runbook/schema.js';
import { memoryEvidence } from './support.mjs';

const [dir, dataJson, url] = process.argv.slice(2);
const config = DataSchema.parse(JSON.parse(dataJson));
const ctx = { baseDir: dir, config, ...(url ? { databaseUrl: url } : {}), env: process.env, signal: new AbortController().signal, clock: () => new Date(), log: () => {} };
const evidence = memoryEvidence();
const t0 = performance.now();
const b = await createBackup({ ctx, environment: 'bench', evidence });
const t1 = performance.now();
const ref = await findBackup(backupsRoot(dir, config.backups), 'bench', b.id);
const r = await verifyBackup({ ctx, backup: ref, evidence });
const t2 = performance.now();
if (!r.passed) throw new Error(`verification failed: ${JSON.stringify(r.checks.filter((c) => !c.passed))}`);
console.log(JSON.stringify({ backupMs: t1 - t0, verifyMs: t2 - t1, checks: r.checks.map((c) => [c.name, c.ms]) }));
