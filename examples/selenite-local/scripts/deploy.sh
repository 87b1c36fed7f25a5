#!/usr/bin/env bash
# Stands in for "fetch main or the release tag": records which version is deployed (the app
# reports it in /api/health). `deploy.sh --previous` deploys the version before it (rollback).
set -euo pipefail
cd "$(dirname "$0")/.."
current=$(cat app/DEPLOYED 2>/dev/null || echo none)
if [ "${1:-}" = "--previous" ]; then
  target=$(cat app/DEPLOYED.previous 2>/dev/null) || { echo "no previous release recorded"; exit 1; }
else
  target="${1:?usage: deploy.sh VERSION | --previous (run shipgate with --release VERSION)}"
  echo "$current" > app/DEPLOYED.previous
fi
echo "$target" > app/DEPLOYED
echo "Deployed $target (was $current)"
