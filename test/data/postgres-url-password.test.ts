import { execa } from 'execa';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/core/redact-url.js';
import { createBackup } from '../../src/data/create-backup.js';
import { backupsRoot, findBackup } from '../../src/data/layout.js';
import { pgTarget } from '../../src/data/pg-connection.js';
import { verifyBackup } from '../../src/data/verify-backup.js';
import { buildInMemoryEvidenceLog } from '../support/data-evidence.js';
import { makeDataProject } from '../support/data-fixture.js';
import { createPgDatabase } from '../support/data-pg.js';
import { postgresAvailable } from '../support/data-services.js';

const available = await postgresAvailable();
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const SECRET = 'q-s3cret-pw';

describe('a Postgres password given as ?password= (pure)', () => {
  it('goes to PGPASSWORD and out of the URL used for argv and messages', () => {
    const t = pgTarget(`postgres://app@db.internal:5432/shop?sslmode=require&password=${SECRET}`, { PATH: '/bin' });
    expect(t.safeUrl).toBe('postgres://app@db.internal:5432/shop?sslmode=require');
    expect(t.toolEnv.PGPASSWORD).toBe(SECRET);
    expect(t.withDatabase('other').safeUrl).not.toContain(SECRET);
    expect(t.withDatabase('other').toolEnv.PGPASSWORD).toBe(SECRET);
  });

  it('redactUrl hides password and sslpassword query params (and userinfo)', () => {
    expect(redactUrl(`postgres://u:pw@h/db?password=${SECRET}&sslpassword=${SECRET}&sslmode=require`)).toBe('postgres://u:***@h/db?password=***&sslpassword=***&sslmode=require');
    expect(redactUrl(`not a url ?password=${SECRET}&x=1`)).toBe('not a url ?password=***&x=1');
  });

  it('sslpassword in the URL is refused (libpq could only get it through argv), without printing it', () => {
    const e = (() => {
      try {
        pgTarget(`postgres://app@h/db?sslpassword=${SECRET}`, {});
      } catch (x) {
        return x as Error & { code: string };
      }
    })();
    expect(e?.code).toBe('SG_DATA_SSLPASSWORD_IN_URL');
    expect(e?.message).not.toContain(SECRET);
  });
});

describe.skipIf(!available)('?password= with the real pg_dump / pg_restore', () => {
  it('backup and verify never put the password in argv; tools get PGPASSWORD', async () => {
    const db = await createPgDatabase('create table t (id int); insert into t values (1), (2);');
    cleanup.push(db.drop);
    const p = await makeDataProject({ withDb: false });
    cleanup.push(() => p.dispose());
    // Wrappers in front of the real tools record each argv and whether PGPASSWORD was set.
    const bin = join(p.dir, 'bin');
    await mkdir(bin);
    const log = join(p.dir, 'argv.log');
    for (const tool of ['pg_dump', 'pg_restore']) {
      const real = (await execa('sh', ['-c', `command -v ${tool}`])).stdout.trim();
      await writeFile(join(bin, tool), `#!/bin/sh\necho "${tool} $* PGPASSWORD=\${PGPASSWORD:-unset}" >> ${log}\nexec ${real} "$@"\n`);
      await chmod(join(bin, tool), 0o755);
    }
    const url = `${db.url}?password=${SECRET}`;
    const ctx = p.ctx({ database: { kind: 'postgres', url }, storage: [] }, { databaseUrl: url, env: { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` } });
    const evidence = buildInMemoryEvidenceLog();
    const created = await createBackup({ ctx, environment: 'production', evidence });
    const ref = await findBackup(backupsRoot(p.dir, '.shipgate/backups'), 'production', created.id);
    const r = await verifyBackup({ ctx, backup: ref, evidence });
    expect(r.passed).toBe(true);
    const lines = (await readFile(log, 'utf8')).trim().split('\n').filter((l) => !l.includes('--version'));
    expect(lines.some((l) => l.startsWith('pg_dump -Fd'))).toBe(true);
    expect(lines.some((l) => l.startsWith('pg_restore'))).toBe(true);
    for (const l of lines) {
      expect(l.replace(/PGPASSWORD=\S+$/, '')).not.toContain(SECRET);
      expect(l).toMatch(new RegExp(`PGPASSWORD=${SECRET}$`));
    }
    expect(JSON.stringify(evidence.entries)).not.toContain(SECRET);
  });
});
