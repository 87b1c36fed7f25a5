# Sourced: sets DB_NAME and ADMIN_URL (the same server, maintenance database `postgres`) from $DATABASE_URL.
: "${DATABASE_URL:?DATABASE_URL is not set (source scripts/gen-secrets.sh)}"
read -r DB_NAME ADMIN_URL < <(node -e 'const u = new URL(process.argv[1]); const db = decodeURIComponent(u.pathname.slice(1)); u.pathname = "/postgres"; console.log(db, u.href)' "$DATABASE_URL")
if ! [[ "$DB_NAME" =~ ^[a-z_][a-z0-9_]*$ ]]; then echo "database name $DB_NAME: use lower-case letters, digits and _" >&2; exit 2; fi
