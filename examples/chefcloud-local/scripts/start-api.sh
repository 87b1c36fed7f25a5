#!/usr/bin/env bash
# Starts the API in the background on the port in .env (like a container start: returns at once).
set -euo pipefail
cd "$(dirname "$0")/.."
set -a; . ./.env; set +a
mkdir -p run logs
# setsid: the API outlives this step (shipgate ends a step's whole process group).
setsid node app/api.mjs </dev/null >>logs/api.out 2>&1 &
echo $! > run/api.pid
echo "ChefCloud API starting on port $PORT (version $(cat app/DEPLOYED))"
