#!/usr/bin/env bash
# Stops the API and drops the example's database (the unique one named by $DATABASE_URL).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/db-url.sh
bash scripts/stop-api.sh
psql "$ADMIN_URL" -qAt -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" >/dev/null
echo "database $DB_NAME dropped"
