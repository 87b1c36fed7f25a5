/**
 * Postgres schema, forward-only, the same tables as `sqlite/sqlite-migrations.ts` (entry `i`
 * upgrades version `i` to `i + 1`), plus the shared artifact tables that only team mode needs. JSON stays TEXT, not
 * JSONB: the ledger must re-read the exact bytes it hashed. Tables live in the schema named by
 * the URL's `?schema=` (default `shipgate`), reached through `search_path`.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    id              TEXT PRIMARY KEY,
    runbook_name    TEXT NOT NULL,
    runbook_path    TEXT NOT NULL,
    runbook_digest  TEXT NOT NULL,
    environment     TEXT NOT NULL,
    release         TEXT,
    status          TEXT NOT NULL,
    actor_json      TEXT NOT NULL,
    plan_json       TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    ended_at        TEXT,
    pid             INTEGER,
    host            TEXT
  );
  CREATE INDEX runs_by_env ON runs (environment, started_at);
  CREATE INDEX runs_by_start ON runs (started_at);

  CREATE TABLE steps (
    run_id      TEXT NOT NULL REFERENCES runs (id),
    section     TEXT NOT NULL,
    step_id     TEXT NOT NULL,
    status      TEXT NOT NULL,
    attempt     INTEGER NOT NULL,
    started_at  TEXT,
    ended_at    TEXT,
    exit_code   INTEGER,
    summary     TEXT,
    outputs_json TEXT NOT NULL,
    log_sha256  TEXT,
    ord         INTEGER NOT NULL,
    PRIMARY KEY (run_id, section, step_id)
  );

  CREATE TABLE approvals (
    id          BIGSERIAL PRIMARY KEY,
    run_id      TEXT NOT NULL REFERENCES runs (id),
    step_id     TEXT NOT NULL,
    actor_json  TEXT NOT NULL,
    decision    TEXT NOT NULL,
    note        TEXT,
    items_json  TEXT NOT NULL,
    at          TEXT NOT NULL
  );
  CREATE INDEX approvals_by_run ON approvals (run_id, step_id);

  CREATE TABLE locks (
    environment TEXT PRIMARY KEY,
    run_id      TEXT NOT NULL,
    actor_json  TEXT NOT NULL,
    since       TEXT NOT NULL,
    pid         INTEGER,
    host        TEXT
  );

  CREATE TABLE ledger (
    seq         BIGINT PRIMARY KEY,
    at          TEXT NOT NULL,
    run_id      TEXT,
    step_id     TEXT,
    kind        TEXT NOT NULL,
    actor_json  TEXT NOT NULL,
    data_json   TEXT NOT NULL,
    prev        TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE
  );
  CREATE INDEX ledger_by_run ON ledger (run_id, seq);
  CREATE INDEX ledger_by_kind ON ledger (kind, seq);

  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  // 2: the ledger is append-only in the database too (see the SQLite twin).
  `
  CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'the shipgate ledger is append-only';
  END
  $$;
  CREATE TRIGGER ledger_no_change BEFORE UPDATE OR DELETE ON ledger FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
  CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
  `,
  // 3: artifact content shared by every machine in team mode (see shared-artifact-store.ts),
  // in chunks so that neither side ever holds a whole file in memory.
  `
  CREATE TABLE artifact_blobs (
    sha256      TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        BIGINT NOT NULL,
    chunks      INTEGER NOT NULL
  );
  CREATE TABLE artifact_chunks (
    sha256      TEXT NOT NULL REFERENCES artifact_blobs (sha256),
    idx         INTEGER NOT NULL,
    bytes       BYTEA NOT NULL,
    PRIMARY KEY (sha256, idx)
  );
  `,
];
