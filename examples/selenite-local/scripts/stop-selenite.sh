#!/usr/bin/env bash
# Stands in for scripts/stop-selenite.ps1 and keeps its flaw: it exits 0 even when a process
# survived, printing "Failed to stop" instead. The runbook judges it by its output (expect:)
# and by the ports it leaves (check/tcp).
cd "$(dirname "$0")/.."
echo "Stopping Selenite processes..."
if [ -f run/selenite.pid ]; then
  pid=$(cat run/selenite.pid)
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then echo "Failed to stop Selenite (pid $pid still running)"; exit 0; fi
  rm -f run/selenite.pid
fi
echo "All Selenite processes stopped."
