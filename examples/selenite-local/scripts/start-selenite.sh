#!/usr/bin/env bash
# Stands in for scripts/start-selenite.ps1: starts the app in the background on the ports in .env
# and prints the same line. Like the original, it does not wait for readiness (check/http does).
set -euo pipefail
cd "$(dirname "$0")/.."
set -a; . ./.env; set +a
mkdir -p run logs
echo "Starting Selenite backend on port $PORT..."
# setsid: the server outlives this step (shipgate ends a step's whole process group).
HTTPS_PORT="$PORT" SELENITE_DB="$PWD/backend/selenite.db" setsid node app/server.mjs </dev/null >>logs/server.out 2>&1 &
echo $! > run/selenite.pid
echo "Selenite started."
