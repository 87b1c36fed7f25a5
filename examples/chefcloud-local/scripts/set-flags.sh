#!/usr/bin/env bash
# Stands in for `fly secrets set DEVPORTAL_ENABLED=0 -a chefcloud-prod-api`: sets feature flags
# (KEY=0|1 …) in run/flags.env and restarts the API, as Fly restarts the app on a secrets change.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p run && touch run/flags.env
for kv in "$@"; do
  [[ "$kv" =~ ^[A-Z_]+_ENABLED=[01]$ ]] || { echo "not a flag assignment: $kv"; exit 2; }
  grep -v "^${kv%%=*}=" run/flags.env > run/flags.env.new || true
  echo "$kv" >> run/flags.env.new && mv run/flags.env.new run/flags.env
  echo "set $kv"
done
bash scripts/stop-api.sh >/dev/null && bash scripts/start-api.sh >/dev/null
echo "API restarted with flags: $(tr '\n' ' ' < run/flags.env)"
