#!/usr/bin/env bash
# Stands in for `alembic upgrade head`: applies backend/migrations/*.sql in file-name order, each
# in one transaction with its row in shipgate_migrations (the `sql` tool's bookkeeping table).
#   scripts/migrate.sh [UPTO]    apply up to and including migration UPTO (default: all = head)
# The database: $SHIPGATE_REHEARSAL_DATABASE_PATH during a rehearsal, else $SELENITE_DB, else
# backend/selenite.db.
set -euo pipefail
cd "$(dirname "$0")/.."
db="${SHIPGATE_REHEARSAL_DATABASE_PATH:-${SELENITE_DB:-backend/selenite.db}}"
upto="${1:-}"
sqlite3 -bail "$db" "CREATE TABLE IF NOT EXISTS shipgate_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL);"
current=$(sqlite3 "$db" "SELECT coalesce(max(id), '<base>') FROM shipgate_migrations;")
for file in backend/migrations/*.sql; do
  id=$(basename "$file" .sql)
  if [ -n "$upto" ] && [[ "$id" > "$upto" ]]; then break; fi
  if [ "$(sqlite3 "$db" "SELECT count(*) FROM shipgate_migrations WHERE id = '$id';")" = "1" ]; then continue; fi
  echo "Running upgrade $current -> $id"
  { echo "BEGIN;"; cat "$file"; echo "INSERT INTO shipgate_migrations (id, applied_at) VALUES ('$id', datetime('now'));"; echo "COMMIT;"; } | sqlite3 -bail "$db"
  current="$id"
done
echo "Database at $current"
