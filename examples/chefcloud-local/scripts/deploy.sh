#!/usr/bin/env bash
# Stands in for `fly deploy` / a Render deploy / `docker-compose up -d` of a new image tag: records
# the deployed version and restarts the API. `deploy.sh --previous` is `fly releases rollback`.
set -euo pipefail
cd "$(dirname "$0")/.."
current=$(cat app/DEPLOYED 2>/dev/null || echo none)
if [ "${1:-}" = "--previous" ]; then
  target=$(cat app/DEPLOYED.previous 2>/dev/null) || { echo "no previous release recorded"; exit 1; }
else
  target="${1:?usage: deploy.sh VERSION | --previous (run shipgate with --release VERSION)}"
  echo "$current" > app/DEPLOYED.previous
fi
bash scripts/stop-api.sh >/dev/null
echo "$target" > app/DEPLOYED
bash scripts/start-api.sh >/dev/null
echo "Deployed $target (was $current)"
