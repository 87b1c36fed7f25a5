#!/usr/bin/env bash
# Stands in for `npx prisma migrate deploy` / `npx prisma migrate status` (no prisma binary here):
# applies prisma/migrations/<timestamp>_<name>/migration.sql in folder order against
# $DATABASE_URL, each in one transaction, recording it in _prisma_migrations with Prisma's
# columns (id, checksum = sha256 of the file, finished_at, migration_name, applied_steps_count).
#   scripts/prisma-migrate.sh deploy [UPTO]    apply pending migrations (up to UPTO)
#   scripts/prisma-migrate.sh status           print what Prisma prints; exit 1 when pending
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL is not set}"
cmd="${1:?usage: prisma-migrate.sh deploy [UPTO] | status}"; upto="${2:-}"
export PGOPTIONS="--client-min-messages=warning"
psql() { command psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -qAt "$@"; }
psql -c 'CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)' >/dev/null
pending=()
for dir in prisma/migrations/*/; do
  name=$(basename "$dir")
  if [ -n "$upto" ] && [[ "$name" > "$upto" ]]; then break; fi
  done_count=$(psql -c "SELECT count(*) FROM \"_prisma_migrations\" WHERE migration_name = '$name' AND finished_at IS NOT NULL AND rolled_back_at IS NULL")
  [ "$done_count" = "0" ] && pending+=("$name")
done
total=$(ls -d prisma/migrations/*/ | wc -l)
echo "$total migrations found in prisma/migrations"
case "$cmd" in
  status)
    if [ ${#pending[@]} -eq 0 ]; then echo "Database schema is up to date!"; exit 0; fi
    echo "Following migration(s) have not yet been applied:"; printf '%s\n' "${pending[@]}"; exit 1 ;;
  deploy)
    [ ${#pending[@]} -eq 0 ] && { echo "No pending migrations to apply."; exit 0; }
    echo "Applying migration(s):"
    for name in "${pending[@]}"; do
      file="prisma/migrations/$name/migration.sql"
      sum=$(sha256sum "$file" | cut -d' ' -f1)
      { cat "$file"; echo "INSERT INTO \"_prisma_migrations\" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES (gen_random_uuid()::text, '$sum', now(), '$name', 1);"; } | psql --single-transaction -f - >/dev/null
      echo "  └─ $name/"
      echo "    └─ migration.sql"
    done
    echo "All migrations have been successfully applied." ;;
  *) echo "unknown command $cmd"; exit 2 ;;
esac
