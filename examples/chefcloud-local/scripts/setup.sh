#!/usr/bin/env bash
# Prepares the stand-in production (not a step of the seed): a free port in .env, the database
# named by $DATABASE_URL created (the first time) at v2.0.0 with a few rows, and the API started.
# Prints the port as the step output `port`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/db-url.sh
mkdir -p run logs
port=$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
echo "PORT=$port" > .env
echo "port=$port" >> "${SHIPGATE_OUTPUT:-/dev/null}"
if [ "$(psql "$ADMIN_URL" -qAt -c "SELECT count(*) FROM pg_database WHERE datname = '$DB_NAME'")" = "0" ]; then
  psql "$ADMIN_URL" -qAt -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$DB_NAME\"" >/dev/null
  bash scripts/prisma-migrate.sh deploy 20260101000000_init >/dev/null
  psql "$DATABASE_URL" -qAt -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
INSERT INTO "Branch" VALUES ('b1', 'Kampala Central');
INSERT INTO "Order" (id, "branchId", total) VALUES ('o1', 'b1', 42.50), ('o2', 'b1', 18.00), ('o3', 'b1', 7.25);
INSERT INTO "InventoryItem" VALUES ('i1', 'Tomatoes', 40), ('i2', 'Rice (kg)', 25);
SQL
  echo v2.0.0 > app/DEPLOYED
  echo "database $DB_NAME created at v2.0.0"
fi
echo "host ready: http://127.0.0.1:$port"
