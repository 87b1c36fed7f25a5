import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/core/redact-url.js';
import { pgTarget } from '../../src/data/pg-connection.js';


const SECRET = 'q-s3cret-pw';
// The same with the real pg_dump/pg_restore is in postgres.test.ts (its tests share one server's scratch databases, so they run in sequence there).

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

