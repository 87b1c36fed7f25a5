/**
 * SQLite schema, forward-only. Entry `i` upgrades `PRAGMA user_version` from `i` to `i + 1`;
 * never edit a released entry, append a new one. Postgres keeps the same tables in
 * `postgres/postgres-migrations.ts` (plus what only team mode needs); each list has its own
 * version counter.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
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
  ) STRICT;
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
  ) STRICT;

  CREATE TABLE approvals (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id      TEXT NOT NULL REFERENCES runs (id),
    step_id     TEXT NOT NULL,
    actor_json  TEXT NOT NULL,
    decision    TEXT NOT NULL,
    note        TEXT,
    items_json  TEXT NOT NULL,
    at          TEXT NOT NULL
  ) STRICT;
  CREATE INDEX approvals_by_run ON approvals (run_id, step_id);

  CREATE TABLE locks (
    environment TEXT PRIMARY KEY,
    run_id      TEXT NOT NULL,
    actor_json  TEXT NOT NULL,
    since       TEXT NOT NULL,
    pid         INTEGER,
    host        TEXT
  ) STRICT;

  CREATE TABLE ledger (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    run_id      TEXT,
    step_id     TEXT,
    kind        TEXT NOT NULL,
    actor_json  TEXT NOT NULL,
    data_json   TEXT NOT NULL,
    prev        TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE
  ) STRICT;
  CREATE INDEX ledger_by_run ON ledger (run_id, seq);
  CREATE INDEX ledger_by_kind ON ledger (kind, seq);

  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
  `,
  // 2: the ledger is append-only in the database too, so no tool or bug edits it by accident.
  // (A person with write access to the file can drop these; `evidence verify` still catches it.)
  `
  CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger BEGIN SELECT RAISE(ABORT, 'the shipgate ledger is append-only'); END;
  CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger BEGIN SELECT RAISE(ABORT, 'the shipgate ledger is append-only'); END;
  `,
];
