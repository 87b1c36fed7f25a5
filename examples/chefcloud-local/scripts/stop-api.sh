#!/usr/bin/env bash
# Stops the API and waits until it is gone.
cd "$(dirname "$0")/.."
if [ -f run/api.pid ]; then
  pid=$(cat run/api.pid)
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then echo "API (pid $pid) still running"; exit 1; fi
  rm -f run/api.pid
fi
echo "API stopped"
