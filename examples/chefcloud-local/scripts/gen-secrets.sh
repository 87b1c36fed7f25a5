#!/usr/bin/env bash
# Prints `export` lines for this example's secrets, fresh each time, for:  eval "$(bash scripts/gen-secrets.sh)"
# The database gets a unique name: scripts/setup.sh creates it, the teardown phase drops it.
# Nothing is written to disk (a committed .env would be found by secrets/check, rightly).
set -euo pipefail
echo "export DATABASE_URL=postgres://postgres@127.0.0.1:5432/chefcloud_local_$(date +%s)_$RANDOM"
# A Redis database index of its own (1-15). A literal URL here would be, rightly, reported by
# secrets/check as the secret's value committed in the tree.
echo "export REDIS_URL=redis://127.0.0.1:6379/$((RANDOM % 15 + 1))"
echo "export JWT_SECRET=$(openssl rand -base64 32)"
echo "export WH_SECRET=$(openssl rand -hex 32)"
