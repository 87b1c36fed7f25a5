import { describe, expect, it } from 'vitest';
import { analyzeFixture, findingKeys, getAnalyzer } from './fixture-helpers.js';

// Functions and procedures created in the migration: a LANGUAGE sql body runs when called, so
// its statements are judged at the call; a call to a body that cannot be analysed is unknown.
describe('routines created in the migration', () => {
  it("quoted body: CREATE FUNCTION f() … AS 'DROP TABLE users' LANGUAGE sql; SELECT f(); is breaking at the call", async () => {
    const m = await analyzeFixture('postgres/sql-function-quoted.sql', 'sql', 'postgres');
    expect(m.class).toBe('breaking');
    expect(findingKeys(m)).toEqual(['drop-table@2:1']);
    expect(m.findings[0]!.reason).toBe('drops table users');
    expect(m.statements.map((s) => s.kind)).toEqual(['CreateFunctionStmt', 'SelectStmt', 'f() DropStmt']);
  });

  it('the same drop through plpgsql EXECUTE in a DO block is judged the same', async () => {
    const a = await getAnalyzer();
    const m = a.analyzeMigration({ id: 'x', file: 'x.sql', tool: 'sql', dialect: 'postgres', content: "DO $$ BEGIN EXECUTE 'DROP TABLE users'; END $$;\n" });
    expect(m.class).toBe('breaking');
    expect(m.findings.map((f) => f.rule)).toEqual(['drop-table']);
  });

  it('$-quoted procedure body: CALL runs every statement of it', async () => {
    const m = await analyzeFixture('postgres/sql-function-dollar.sql', 'sql', 'postgres');
    expect(m.class).toBe('breaking');
    // CALL of a procedure whose body is analysed is not itself opaque.
    expect(findingKeys(m)).toEqual(['delete-rows@8:1', 'drop-column@8:1']);
  });

  it('BEGIN ATOMIC body, called schema-qualified', async () => {
    const m = await analyzeFixture('postgres/sql-function-atomic.sql', 'sql', 'postgres');
    expect(m.class).toBe('breaking');
    expect(findingKeys(m)).toEqual(['delete-rows@7:1', 'update-rows@7:1']);
    expect(m.statements.map((s) => s.text)).toContain('DELETE FROM orders WHERE archived');
  });

  it('a call (SELECT, CALL, PERFORM) to a routine whose body cannot be analysed is unknown, never additive', async () => {
    const m = await analyzeFixture('postgres/routine-opaque-call.sql', 'sql', 'postgres');
    expect(m.class).toBe('unknown');
    // CALL of any procedure is opaque already (7:1 twice: not modelled + body opaque).
    expect(findingKeys(m)).toEqual(['opaque-statement@10:3', 'opaque-statement@6:1', 'opaque-statement@7:1', 'opaque-statement@7:1', 'parse-error@13:1']);
    expect(m.findings.find((f) => f.line === 6)!.reason).toBe('calls function wipe(), created in this migration in LANGUAGE plpgsql: its body cannot be analysed');
  });

  it('a body never called here is judged at its definition, guarded by "runs only when f() is called"', async () => {
    const m = await analyzeFixture('postgres/sql-function-uncalled.sql', 'sql', 'postgres');
    expect(m.class).toBe('breaking');
    // 6:44: a '…' body with '' escapes is reported at its AS.
    expect(findingKeys(m)).toEqual(['drop-table@2:3', 'update-rows@6:44']);
    expect(m.findings[0]).toMatchObject({ guarded: true, condition: 'runs only when drop_legacy() is called' });
  });

  it('a function calling another created here: the inner body is judged at the outer call', async () => {
    const a = await getAnalyzer();
    const sql = "CREATE FUNCTION inner_f() RETURNS void AS 'TRUNCATE audit' LANGUAGE sql;\nCREATE FUNCTION outer_f() RETURNS void AS 'SELECT inner_f()' LANGUAGE sql;\nSELECT outer_f();\n";
    const m = a.analyzeMigration({ id: 'x', file: 'x.sql', tool: 'sql', dialect: 'postgres', content: sql });
    expect(findingKeys(m)).toEqual(['truncate-table@3:1']);
  });

  it('a file parsed in chunks (> 128 KB): a function created in the first chunk is followed into a call in the last', async () => {
    const a = await getAnalyzer();
    const filler = 'CREATE TABLE filler_0 (id int);\n'.repeat(5000);
    const sql = `CREATE FUNCTION f() RETURNS void AS 'DROP TABLE users' LANGUAGE sql;\n${filler}SELECT f();\n`;
    expect(sql.length).toBeGreaterThan(128 * 1024);
    const m = a.analyzeMigration({ id: 'x', file: 'x.sql', tool: 'sql', dialect: 'postgres', content: sql });
    expect(findingKeys(m)).toEqual(['drop-table@5002:1']);
  });

  it('Alembic: a function created in one op.execute and called in another', async () => {
    const a = await getAnalyzer();
    const py = [
      'from alembic import op', '', 'revision = "r1"', 'down_revision = None', '', '',
      'def upgrade():',
      '    op.execute("CREATE FUNCTION f() RETURNS void AS \'DROP TABLE users\' LANGUAGE sql")',
      '    op.execute("SELECT f()")', '',
    ].join('\n');
    const m = a.analyzeMigration({ id: 'r1', file: 'r1.py', tool: 'alembic', dialect: 'postgres', content: py });
    expect(m.class).toBe('breaking');
    expect(findingKeys(m)).toEqual(['drop-table@9:5']);
  });
});
